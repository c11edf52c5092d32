import TextCoding
import GatewayCrypto

/// Signs the JWT that authenticates the gateway to Kore.ai for one tenant.
///
/// A value type holding the tenant's client id, secret, algorithm and token lifetime. Its descriptions and mirror are
/// redacted so that printing or dumping a minter can never put the secret in a log.
public struct TokenMinter: Sendable {
    /// The Kore.ai app's client id, sent as the `appId` claim.
    public let clientId: String
    /// HS256 (the default Kore.ai documents) or HS512.
    public let algorithm: JWTAlgorithm
    /// Lifetime of a minted token: `exp = iat + ttlSeconds`. At least 1.
    public let ttlSeconds: Int

    private let secret: [UInt8]
    /// `{"appId":"<escaped clientId>","iat":` — fixed per tenant, so built once.
    private let payloadPrefix: [UInt8]

    /// Creates a minter. A `ttlSeconds` below 1 is raised to 1 (a token that is already expired is never useful).
    public init(clientId: String, secret: [UInt8], algorithm: JWTAlgorithm, ttlSeconds: Int) {
        self.clientId = clientId
        self.secret = secret
        self.algorithm = algorithm
        self.ttlSeconds = max(1, ttlSeconds)
        var prefix = Array(#"{"appId":"#.utf8)
        JSONStringEscaping.append(clientId, to: &prefix)
        prefix.append(contentsOf: #","iat":"#.utf8)
        self.payloadPrefix = prefix
    }

    /// Payload exactly {"appId":"<clientId>","iat":<now>,"exp":<now+ttl>} (plus "jti":"<32 hex random>" when jti is non-nil). appId JSON-escaped properly (write a tiny escaper; do not depend on other modules besides GatewayCrypto).
    ///
    /// - Parameters:
    ///   - now: Current Unix time in seconds (`iat`).
    ///   - jti: Token id, sent as the last claim when given (the caller supplies the randomness, see `TokenCache`).
    /// - Returns: The compact JWS. Callers must treat it as a secret (never log it).
    public func mint(now: Int, jti: String? = nil) -> String {
        JWT.sign(payloadJSON: payload(now: now, jti: jti), secret: secret, algorithm: algorithm)
    }

    /// The claims JSON, exposed to the module so tests and the cache can reason about exactly what is signed.
    func payload(now: Int, jti: String?) -> [UInt8] {
        // Saturate rather than trap: a clock near Int.max is absurd, but input paths must not crash.
        let (sum, overflow) = now.addingReportingOverflow(ttlSeconds)
        let exp = overflow ? Int.max : sum
        var json = payloadPrefix
        json.reserveCapacity(payloadPrefix.count + 80)
        json.append(contentsOf: String(now).utf8)
        json.append(contentsOf: #","exp":"#.utf8)
        json.append(contentsOf: String(exp).utf8)
        if let jti {
            json.append(contentsOf: #","jti":"#.utf8)
            JSONStringEscaping.append(jti, to: &json)
        }
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// The same tenant and secret with a different lifetime (the cache caps `jti` tokens at one hour).
    func withTTL(_ seconds: Int) -> TokenMinter {
        TokenMinter(clientId: clientId, secret: secret, algorithm: algorithm, ttlSeconds: seconds)
    }
}

extension TokenMinter: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the tenant's app and algorithm, never the secret.
    public var description: String {
        "TokenMinter(clientId: \(clientId), algorithm: \(algorithm.rawValue), ttlSeconds: \(ttlSeconds), secret: <redacted>)"
    }

    /// Same as `description`: debug output must not reveal the secret either.
    public var debugDescription: String { description }

    /// A mirror without the secret, so `dump` and reflection-based loggers cannot reach it.
    public var customMirror: Mirror {
        Mirror(self, children: ["clientId": clientId, "algorithm": algorithm, "ttlSeconds": ttlSeconds, "secret": "<redacted>"])
    }
}
