import Foundation
import GatewayCrypto
import KoreAdapter
import Synchronization
import TestSupport
import Testing

/// TokenMinter's exact claims and TokenCache's reuse, refresh-ahead, jti and single-flight behaviour; PyJWT
/// (an independent implementation) must accept what we mint.
@Suite struct TokenMinterTests {
    let secret = Array("tenant-client-secret-0123456789abcdef-ABCDEF".utf8)
    let t0 = 1_700_000_000

    private func minter(_ algorithm: JWTAlgorithm = .hs256, ttl: Int = 3600, clientId: String = "cs-5e5d2a2b") -> TokenMinter {
        TokenMinter(clientId: clientId, secret: secret, algorithm: algorithm, ttlSeconds: ttl)
    }

    // MARK: TokenMinter

    @Test func payloadIsExactlyAppIdIatExp() throws {
        let token = minter().mint(now: t0)
        #expect(try payloadText(token) == #"{"appId":"cs-5e5d2a2b","iat":1700000000,"exp":1700003600}"#)
        #expect(try segmentText(token, 0) == #"{"alg":"HS256","typ":"JWT"}"#)
    }

    @Test func jtiIsTheLastClaimWhenGiven() throws {
        let token = minter(.hs512, ttl: 600).mint(now: t0, jti: "0123456789abcdef0123456789abcdef")
        #expect(try payloadText(token)
            == #"{"appId":"cs-5e5d2a2b","iat":1700000000,"exp":1700000600,"jti":"0123456789abcdef0123456789abcdef"}"#)
        #expect(try segmentText(token, 0) == #"{"alg":"HS512","typ":"JWT"}"#)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func mintedTokensVerifyWithTheSecret(_ algorithm: JWTAlgorithm) throws {
        let token = minter(algorithm).mint(now: t0)
        let verified = try JWT.verify(token, secret: secret).get()
        #expect(verified.algorithm == algorithm)
        #expect(JWT.verify(token, secret: Array("other".utf8)) .isFailure)
    }

    @Test func appIdIsJSONEscaped() throws {
        let awkward = "a\"b\\c/d\n\t\u{01}\u{1F}é😀"
        let token = minter(clientId: awkward).mint(now: t0)
        let text = try payloadText(token)
        #expect(text.hasPrefix(#"{"appId":"a\"b\\c/d\n\t\u0001\u001fé😀","iat":"#))
        #expect(try claims(token)["appId"] as? String == awkward)
    }

    @Test func nonPositiveTTLIsRaisedToOneSecond() throws {
        let m = minter(ttl: 0)
        #expect(m.ttlSeconds == 1)
        #expect(try claims(m.mint(now: t0))["exp"] as? Int == t0 + 1)
    }

    @Test func expSaturatesInsteadOfOverflowing() throws {
        let token = minter().mint(now: Int.max - 5)
        #expect(try payloadText(token).contains(#""exp":\#(Int.max)}"#))
    }

    @Test func descriptionsNeverRevealTheSecret() {
        let m = minter()
        var dumped = ""
        dump(m, to: &dumped)
        let cache = TokenCache(minter: m, enforceJti: false)
        var dumpedCache = ""
        dump(cache, to: &dumpedCache)
        let secretText = String(decoding: secret, as: UTF8.self)
        let secretBytes = secret.prefix(4).map(String.init).joined(separator: ", ")
        for text in [String(describing: m), String(reflecting: m), dumped, dumpedCache, "\(m)"] {
            #expect(!text.contains(secretText))
            #expect(!text.contains(secretBytes))
            #expect(!text.contains("eyJ"), "no token in \(text)")
        }
        #expect(String(describing: m).contains("cs-5e5d2a2b"))
    }

    /// Checks our token with PyJWT: `jwt.decode(token, secret, algorithms=[alg], options={"require": [...]})`.
    @Test(arguments: [(JWTAlgorithm.hs256, false), (.hs256, true), (.hs512, false), (.hs512, true)])
    func pyJWTVerifiesMintedTokens(_ algorithm: JWTAlgorithm, _ withJti: Bool) async throws {
        let clientId = withJti ? "cs-\"quoted\"-ü" : "cs-5e5d2a2b"
        let now = Int(time(nil))
        let jti = withJti ? SecureRandom.hexString(byteCount: 16) : nil
        let token = minter(algorithm, ttl: 300, clientId: clientId).mint(now: now, jti: jti)
        let script = """
            import sys, json
            try:
                import jwt
            except ImportError:
                sys.stderr.write("PyJWT is not installed: pip install pyjwt\\n")
                sys.exit(3)
            token, secret, alg = sys.argv[1], bytes.fromhex(sys.argv[2]), sys.argv[3]
            required = ["exp", "iat"] + (["jti"] if sys.argv[4] == "1" else [])
            claims = jwt.decode(token, secret, algorithms=[alg], options={"require": required})
            print(json.dumps(claims))
            """
        let result = try await PythonRunner.run(script, arguments: [token, Hex.encode(secret), algorithm.rawValue, withJti ? "1" : "0"])
        #expect(result.status != 3, "PyJWT is missing: run `pip install pyjwt`")
        try #require(result.status == 0, "PyJWT rejected the token: \(result.error)")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(decoded["appId"] as? String == clientId)
        #expect(decoded["iat"] as? Int == now)
        #expect(decoded["exp"] as? Int == now + 300)
        #expect(decoded["jti"] as? String == jti)
    }

    // MARK: TokenCache

    @Test func refreshAheadDefaultsToTenPercentClampedTo5And60() {
        #expect(TokenCache(minter: minter(ttl: 3600), enforceJti: false).refreshAheadSeconds == 60)
        #expect(TokenCache(minter: minter(ttl: 300), enforceJti: false).refreshAheadSeconds == 30)
        #expect(TokenCache(minter: minter(ttl: 100), enforceJti: false).refreshAheadSeconds == 10)
        #expect(TokenCache(minter: minter(ttl: 20), enforceJti: false).refreshAheadSeconds == 5)
        #expect(TokenCache(minter: minter(), enforceJti: false, refreshAheadSeconds: 7).refreshAheadSeconds == 7)
    }

    @Test func reusesTheTokenWithinItsLifetime() throws {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(ttl: 3600), enforceJti: false, clock: clock.closure)
        let first = cache.token()
        for offset in [0, 1, 600, 3000, 3539] {
            clock.set(t0 + offset)
            #expect(cache.token() == first, "at t0+\(offset)")
        }
        #expect(clock.now == t0 + 3539)
        #expect(cache.mintCount == 1)
        #expect(try claims(first)["jti"] == nil, "cached tokens carry no jti")
    }

    @Test func refreshesAheadOfExpiry() throws {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(ttl: 3600), enforceJti: false, clock: clock.closure)
        let first = cache.token()
        clock.set(t0 + 3600 - 60 - 1)
        #expect(cache.token() == first)
        clock.set(t0 + 3600 - 60)
        let second = cache.token()
        #expect(second != first)
        #expect(try claims(second)["iat"] as? Int == t0 + 3540)
        #expect(try claims(second)["exp"] as? Int == t0 + 3540 + 3600)
        #expect(cache.mintCount == 2)
        clock.advance(100)
        #expect(cache.token() == second)
        #expect(cache.mintCount == 2)
    }

    @Test func clockSteppingBackMintsAnew() {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(), enforceJti: false, clock: clock.closure)
        let first = cache.token()
        clock.set(t0 - 30)
        #expect(cache.token() != first)
        #expect(cache.mintCount == 2)
    }

    @Test func invalidateForcesAFreshMint() {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(), enforceJti: false, clock: clock.closure)
        let first = cache.token()
        cache.invalidate()
        clock.advance(1)
        let second = cache.token()
        #expect(second != first)
        #expect(cache.mintCount == 2)
        // A late failure report about the old token must not discard the new one.
        cache.invalidate(token: first)
        #expect(cache.token() == second)
        cache.invalidate(token: second)
        clock.advance(1)
        #expect(cache.token() != second)
        #expect(cache.mintCount == 3)
    }

    @Test func enforceJtiGivesAFreshDistinctJtiEveryCall() throws {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(ttl: 600), enforceJti: true, clock: clock.closure)
        var tokens = Set<String>()
        var jtis = Set<String>()
        for _ in 0..<50 {
            let token = cache.token()
            tokens.insert(token)
            let c = try claims(token)
            let jti = try #require(c["jti"] as? String)
            #expect(jti.utf8.count == 32)
            #expect(jti.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            jtis.insert(jti)
            #expect(c["exp"] as? Int == t0 + 600)
        }
        #expect(tokens.count == 50)
        #expect(jtis.count == 50)
        #expect(cache.mintCount == 50)
    }

    @Test func enforceJtiCapsLifetimeAtOneHour() throws {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(ttl: 86_400), enforceJti: true, clock: clock.closure)
        let c = try claims(cache.token())
        #expect(c["iat"] as? Int == t0)
        #expect(c["exp"] as? Int == t0 + 3600)
        #expect(try JWT.verify(cache.token(), secret: secret).get().algorithm == .hs256)
    }

    @Test func manyConcurrentCallersMintExactlyOnce() async {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(.hs512), enforceJti: false, clock: clock.closure)
        let tokens = await withTaskGroup(of: String.self) { group in
            for _ in 0..<500 {
                group.addTask { cache.token() }
            }
            var seen = Set<String>()
            for await token in group { seen.insert(token) }
            return seen
        }
        #expect(tokens.count == 1)
        #expect(cache.mintCount == 1)
    }

    @Test func concurrentThreadsAfterExpiryMintExactlyOnceMore() {
        let clock = ManualClock(t0)
        let cache = TokenCache(minter: minter(ttl: 100), enforceJti: false, clock: clock.closure)
        _ = cache.token()
        clock.advance(95)
        let seen = Mutex(Set<String>())
        DispatchQueue.concurrentPerform(iterations: 400) { _ in
            let token = cache.token()
            seen.withLock { _ = $0.insert(token) }
        }
        #expect(seen.withLock { $0.count } == 1)
        #expect(cache.mintCount == 2)
    }

    // MARK: Helpers

    private func segmentText(_ token: String, _ index: Int) throws -> String {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(segments.count == 3)
        let bytes = try #require(Base64URL.decode(String(segments[index])))
        return String(decoding: bytes, as: UTF8.self)
    }

    private func payloadText(_ token: String) throws -> String {
        try segmentText(token, 1)
    }

    private func claims(_ token: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(try payloadText(token).utf8))
        return try #require(object as? [String: Any])
    }
}

private extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
