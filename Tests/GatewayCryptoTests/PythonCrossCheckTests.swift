import Foundation
import GatewayCrypto
import TestSupport
import Testing

/// Cross-checks against Python's hashlib, hmac, base64 and PyJWT: an implementation we did not write.
@Suite struct PythonCrossCheckTests {
    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Lengths around the SHA-256 (64-byte) and SHA-512 (128-byte) block and padding boundaries.
    static let boundaryLengths = [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128, 129, 191, 192, 255, 256, 1000]

    @Test func hashesAtBlockBoundariesMatchHashlib() async throws {
        let messages = Self.boundaryLengths.map { Self.randomBytes($0) }
        let script = """
            import sys, hashlib
            for line in sys.stdin.read().split("\\n"):
                data = bytes.fromhex(line)
                print(hashlib.sha256(data).hexdigest(), hashlib.sha512(data).hexdigest())
            """
        let result = try await PythonRunner.run(script, input: messages.map { Hex.encode($0) }.joined(separator: "\n"))
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == messages.count)
        for (message, line) in zip(messages, lines) {
            let expected = line.split(separator: " ").map(String.init)
            #expect(Hex.encode(SHA256.hash(message)) == expected[0], "SHA-256 of \(message.count) bytes")
            #expect(Hex.encode(SHA512.hash(message)) == expected[1], "SHA-512 of \(message.count) bytes")
        }
    }

    @Test func hmacAtBlockBoundariesMatchesPythonHMAC() async throws {
        let keyLengths = [0, 1, 20, 32, 63, 64, 65, 127, 128, 129, 200]
        let messageLengths = [0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 300]
        var pairs: [(key: [UInt8], message: [UInt8])] = []
        for k in keyLengths {
            for m in messageLengths {
                pairs.append((Self.randomBytes(k), Self.randomBytes(m)))
            }
        }
        let script = """
            import sys, hmac, hashlib
            for line in sys.stdin.read().split("\\n"):
                key, msg = (bytes.fromhex(x) for x in line.split(":"))
                print(hmac.new(key, msg, hashlib.sha256).hexdigest(), hmac.new(key, msg, hashlib.sha512).hexdigest())
            """
        let input = pairs.map { Hex.encode($0.key) + ":" + Hex.encode($0.message) }.joined(separator: "\n")
        let result = try await PythonRunner.run(script, input: input)
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == pairs.count)
        for (pair, line) in zip(pairs, lines) {
            let expected = line.split(separator: " ").map(String.init)
            let label = "key \(pair.key.count) bytes, message \(pair.message.count) bytes"
            #expect(Hex.encode(HMAC.sha256(key: pair.key, message: pair.message)) == expected[0], "HMAC-SHA-256, \(label)")
            #expect(Hex.encode(HMAC.sha512(key: pair.key, message: pair.message)) == expected[1], "HMAC-SHA-512, \(label)")
        }
    }

    @Test func base64EncodingsMatchPythonAndDecodeBack() async throws {
        let samples = (0...70).map { Self.randomBytes($0) }
        let script = """
            import sys, base64
            for line in sys.stdin.read().split("\\n"):
                data = bytes.fromhex(line)
                std = base64.b64encode(data).decode()
                url = base64.urlsafe_b64encode(data).decode().rstrip("=")
                print(std or "-", url or "-")
            """
        let result = try await PythonRunner.run(script, input: samples.map { Hex.encode($0) }.joined(separator: "\n"))
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == samples.count)
        for (bytes, line) in zip(samples, lines) {
            // "-" stands for the empty encoding so split() keeps two fields.
            let expected = line.split(separator: " ").map { $0 == "-" ? "" : String($0) }
            #expect(Base64.encode(bytes) == expected[0])
            #expect(Base64URL.encode(bytes) == expected[1])
            #expect(Base64.decode(expected[0]) == bytes)
            #expect(Base64URL.decode(expected[1]) == bytes)
        }
    }

    @Test func strictRejectionsAgreeWithPythonValidatingDecoder() async throws {
        // Each is invalid standard Base64 (bad length, misplaced or missing padding, foreign characters).
        let invalid = ["Zg", "Zg=", "Z===", "Zm9v\n", " Zm9v", "Zm=v", "=Zg=", "-_-_", "Zm9vYg=", "Zm9v!A=="]
        let script = """
            import sys, base64, binascii, json
            for text in json.loads(sys.stdin.read()):
                try:
                    base64.b64decode(text, validate=True)
                    print("accepted")
                except (binascii.Error, ValueError):
                    print("rejected")
            """
        let result = try await PythonRunner.run(script, input: jsonArray(invalid))
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let verdicts = result.output.split(separator: "\n").map(String.init)
        try #require(verdicts.count == invalid.count)
        for (text, verdict) in zip(invalid, verdicts) {
            #expect(verdict == "rejected", "python accepted \(text.debugDescription)")
            #expect(Base64.decode(text) == nil, "we accepted \(text.debugDescription)")
        }
    }

    @Test func nonCanonicalSpellingsAreStricterThanPython() async throws {
        // Deliberate differences: Python ignores set bits after the last byte ("Zh==" decodes like "Zg==") and
        // surplus padding after a complete group ("Zm9vYmFy===="); we refuse both so one byte string has exactly one
        // spelling (a JWT signature cannot be re-spelled and still verify).
        let script = "import base64; print(base64.b64decode('Zh==', validate=True).hex(), base64.b64decode('Zm9vYmFy====', validate=True).hex())"
        let result = try await PythonRunner.run(script)
        try #require(result.status == 0, "python3 failed: \(result.error)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "66 666f6f626172")
        #expect(Base64.decode("Zg==") == [0x66])
        #expect(Base64.decode("Zh==") == nil)
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64.decode("Zm9vYmFy") == Array("foobar".utf8))
        #expect(Base64.decode("Zm9vYmFy====") == nil)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func pyJWTMintedTokensVerifyHere(_ algorithm: JWTAlgorithm) async throws {
        let secret = "python-side-secret-that-is-long-enough-for-hs512-use-0123456789abcdef"
        let script = PythonRunner.importPyJWT + """

            print(jwt.encode({"appId": "cs-py", "iat": 1700000000, "exp": 1700003600, "nested": {"k": [1, 2]}},
                             sys.argv[1], algorithm=sys.argv[2], headers={"kid": "k1"}))
            """
        let result = try await PythonRunner.run(script, arguments: [secret, algorithm.rawValue])
        #expect(result.status != PythonRunner.missingPyJWTStatus, "PyJWT is missing: run `pip install pyjwt`")
        try #require(result.status == 0, "python3 failed: \(result.error)")
        let token = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let verified = try JWT.verify(token, secret: Array(secret.utf8)).get()
        #expect(verified.algorithm == algorithm)
        #expect(String(decoding: verified.payload, as: UTF8.self).contains(#""appId":"cs-py""#))
        #expect(JWT.verify(token, secret: Array("wrong".utf8)).failure == .badSignature)
    }

    /// A JSON array of strings (the few characters the samples contain are escaped by hand).
    private func jsonArray(_ strings: [String]) -> String {
        let items = strings.map { text -> String in
            var escaped = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return "\"" + escaped + "\""
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}
