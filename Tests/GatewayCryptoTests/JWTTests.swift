import GatewayCrypto
import Testing

/// Compact JWS signing and verification, including the attacks a verifier must refuse.
@Suite struct JWTTests {
    let secret = Array("a-very-secret-client-secret-of-32+bytes".utf8)
    let payload = Array(#"{"appId":"cs-1234","iat":1700000000,"exp":1700003600}"#.utf8)

    /// Builds a token from raw segment texts, signing `header.payload` with HMAC-SHA-256 unless told otherwise.
    private func token(header: String, payload: [UInt8], secret: [UInt8], signature: String? = nil) -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        let mac = signature ?? Base64URL.encode(HMAC.sha256(key: secret, message: Array(signingInput.utf8)))
        return signingInput + "." + mac
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func signThenVerifyRoundTrips(_ algorithm: JWTAlgorithm) throws {
        let jwt = JWT.sign(payloadJSON: payload, secret: secret, algorithm: algorithm)
        let verified = try JWT.verify(jwt, secret: secret).get()
        #expect(verified.algorithm == algorithm)
        #expect(verified.payload == payload)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func headerIsExactlyAlgAndTyp(_ algorithm: JWTAlgorithm) throws {
        let jwt = JWT.sign(payloadJSON: payload, secret: secret, algorithm: algorithm)
        let segments = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(segments.count == 3)
        #expect(Base64URL.decode(segments[0]) == Array(#"{"alg":"\#(algorithm.rawValue)","typ":"JWT"}"#.utf8))
        #expect(Base64URL.decode(segments[1]) == payload)
        #expect(Base64URL.decode(segments[2])?.count == (algorithm == .hs256 ? 32 : 64))
        #expect(!jwt.contains("="))
    }

    @Test func knownHS256Token() {
        // Header {"alg":"HS256","typ":"JWT"}, payload {"sub":"1234567890","name":"John Doe","iat":1516239022},
        // secret "your-256-bit-secret": the widely published jwt.io example, an independent implementation's output.
        let published = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        let claims = Array(#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#.utf8)
        let secret = Array("your-256-bit-secret".utf8)
        #expect(JWT.sign(payloadJSON: claims, secret: secret, algorithm: .hs256) == published)
        #expect((try? JWT.verify(published, secret: secret).get().payload) == claims)
    }

    @Test func rfc7515AppendixA1Verifies() throws {
        // RFC 7515 A.1: a header with CRLF whitespace and members in another order; our verifier must not insist on
        // its own header spelling.
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let key = try #require(Base64URL.decode(
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"))
        let verified = try JWT.verify(token, secret: key).get()
        #expect(verified.algorithm == .hs256)
        #expect(String(decoding: verified.payload, as: UTF8.self).contains(#""iss":"joe""#))
    }

    @Test func wrongSecretIsBadSignature() {
        let jwt = JWT.sign(payloadJSON: payload, secret: secret, algorithm: .hs256)
        #expect(JWT.verify(jwt, secret: Array("another-secret".utf8)).failure == .badSignature)
        #expect(JWT.verify(jwt, secret: []).failure == .badSignature)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func tamperedPayloadIsBadSignature(_ algorithm: JWTAlgorithm) {
        let jwt = JWT.sign(payloadJSON: payload, secret: secret, algorithm: algorithm)
        let parts = jwt.split(separator: ".").map(String.init)
        let forged = Array(#"{"appId":"cs-1234","iat":1700000000,"exp":1900003600}"#.utf8)
        let tampered = parts[0] + "." + Base64URL.encode(forged) + "." + parts[2]
        #expect(JWT.verify(tampered, secret: secret).failure == .badSignature)
    }

    @Test(arguments: JWTAlgorithm.allCases)
    func tamperedSignatureIsBadSignature(_ algorithm: JWTAlgorithm) throws {
        let jwt = JWT.sign(payloadJSON: payload, secret: secret, algorithm: algorithm)
        let parts = jwt.split(separator: ".").map(String.init)
        var signature = try #require(Base64URL.decode(parts[2]))
        for index in [0, signature.count / 2, signature.count - 1] {
            var flipped = signature
            flipped[index] ^= 0x01
            let tampered = parts[0] + "." + parts[1] + "." + Base64URL.encode(flipped)
            #expect(JWT.verify(tampered, secret: secret).failure == .badSignature)
        }
        signature.removeLast()
        #expect(JWT.verify(parts[0] + "." + parts[1] + "." + Base64URL.encode(signature), secret: secret).failure == .badSignature)
        #expect(JWT.verify(parts[0] + "." + parts[1] + ".", secret: secret).failure == .badSignature)
    }

    @Test func algorithmSwapIsBadSignature() throws {
        // An HS512 signature relabelled as HS256 (or the reverse) must not verify.
        let jwt512 = JWT.sign(payloadJSON: payload, secret: secret, algorithm: .hs512)
        let parts = jwt512.split(separator: ".").map(String.init)
        let relabelled = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + parts[1] + "." + parts[2]
        #expect(JWT.verify(relabelled, secret: secret).failure == .badSignature)
    }

    @Test func algNoneIsRejected() {
        let unsigned = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(payload) + "."
        #expect(JWT.verify(unsigned, secret: secret).failure == .unsupportedAlgorithm)
        // Even carrying a signature that would be right for HS256, "none" is refused.
        let signedNone = token(header: #"{"alg":"none","typ":"JWT"}"#, payload: payload, secret: secret)
        #expect(JWT.verify(signedNone, secret: secret).failure == .unsupportedAlgorithm)
        #expect(JWT.verify(token(header: #"{"alg":"None"}"#, payload: payload, secret: secret), secret: secret).failure == .unsupportedAlgorithm)
    }

    @Test(arguments: [#"{"alg":"RS256","typ":"JWT"}"#, #"{"alg":"hs256"}"#, #"{"alg":"HS384"}"#, #"{"alg":""}"#, #"{"alg":"HS256 "}"#])
    func otherAlgorithmsAreUnsupported(_ header: String) {
        #expect(JWT.verify(token(header: header, payload: payload, secret: secret), secret: secret).failure == .unsupportedAlgorithm)
    }

    @Test(arguments: [
        #"{"typ":"JWT"}"#,                              // no alg
        #"{"alg":256}"#,                                // alg not a string
        #"{"alg":"HS256","alg":"HS256"}"#,              // duplicate alg
        #"{"alg":"HS256","crit":["exp"]}"#,             // extensions we do not implement
        #"{"alg":"HS256"} x"#,                          // trailing garbage
        #"{"alg":"HS256",}"#,                           // trailing comma
        #"["HS256"]"#,                                  // not an object
        #"{"alg":"HS256""#,                             // unterminated
        #"{"alg":"HS\u00"}"#,                           // broken escape
        #"{"alg":"HS256","x":01}"#,                     // leading zero
        #"{"alg":"HS256","x":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}"#, // nesting beyond the bound
        "",
        "alg=HS256",
    ])
    func malformedHeadersAreRejected(_ header: String) {
        #expect(JWT.verify(token(header: header, payload: payload, secret: secret), secret: secret).failure == .malformed)
    }

    @Test func headerVariationsThatAreValidJSONAreAccepted() {
        let headers = [
            #"{"typ":"JWT","alg":"HS256"}"#,
            #" { "alg" : "HS256" , "kid" : "k1", "x": {"y": [1, -2.5e3, true, false, null, "\"\\\/"]} } "#,
            #"{"alg":"HS\u0032\u0035\u0036"}"#,
            #"{"alg":"HS256","typ":"JWT","cty":"\ud83d\ude00"}"#,
        ]
        for header in headers {
            let result = JWT.verify(token(header: header, payload: payload, secret: secret), secret: secret)
            #expect(result.failure == nil, "header \(header)")
        }
    }

    @Test(arguments: [
        "", ".", "..", "a.b", "a.b.c.d", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9.e30", "!!!.e30.AAAA",
        "eyJhbGciOiJIUzI1NiJ9=.e30.AAAA", "eyJhbGciOiJIUzI1NiJ9.e30=.AAAA", "eyJhbGciOiJIUzI1NiJ9.e3 0.AAAA",
    ])
    func malformedStructureIsRejected(_ text: String) {
        let failure = JWT.verify(text, secret: secret).failure
        #expect(failure == .malformed)
    }

    @Test func paddedSignatureSegmentIsRejected() {
        let jwt = JWT.sign(payloadJSON: payload, secret: secret, algorithm: .hs256)
        // 32-byte MAC -> 43 symbols; a trailing "=" makes it the padded spelling, which JWS forbids.
        #expect(JWT.verify(jwt + "=", secret: secret).failure != nil)
        #expect(JWT.verify(jwt + "\n", secret: secret).failure != nil)
        #expect(JWT.verify(" " + jwt, secret: secret).failure != nil)
    }

    @Test func emptyPayloadAndLongSecretsWork() throws {
        let longSecret = [UInt8](repeating: 0x42, count: 300)
        for algorithm in JWTAlgorithm.allCases {
            let jwt = JWT.sign(payloadJSON: [], secret: longSecret, algorithm: algorithm)
            #expect(try JWT.verify(jwt, secret: longSecret).get().payload == [])
        }
    }
}

extension Result {
    /// The error of a failed result, nil on success (keeps the expectations above one-liners).
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
