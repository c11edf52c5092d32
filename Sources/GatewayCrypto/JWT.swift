/// Compact JWS (RFC 7515) with HMAC signatures: the tokens Kore.ai expects in the `auth` header, and the
/// tokens the simulator checks.
public enum JWT {
    /// The base64url header segments; the header text is fixed, so it is encoded once.
    private static let hs256Header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
    private static let hs512Header = Base64URL.encode(Array(#"{"alg":"HS512","typ":"JWT"}"#.utf8))

    /// Compact JWS: base64url(header) . base64url(payloadJSON) . base64url(HMAC); header is exactly {"alg":"HS256","typ":"JWT"} (or HS512).
    ///
    /// `payloadJSON` is signed as given; the caller is responsible for it being a JSON object.
    public static func sign(payloadJSON: [UInt8], secret: [UInt8], algorithm: JWTAlgorithm) -> String {
        let header = algorithm == .hs256 ? hs256Header : hs512Header
        let payload = Base64URL.encode(payloadJSON)
        var signingInput = [UInt8]()
        // Room for the signature segment too, so the token is built in this one buffer.
        signingInput.reserveCapacity(header.utf8.count + payload.utf8.count + 2 + 88)
        signingInput.append(contentsOf: header.utf8)
        signingInput.append(UInt8(ascii: "."))
        signingInput.append(contentsOf: payload.utf8)
        let signature = Base64URL.encode(algorithm.mac(key: secret, message: signingInput))
        signingInput.append(UInt8(ascii: "."))
        signingInput.append(contentsOf: signature.utf8)
        return String(decoding: signingInput, as: UTF8.self)
    }

    /// Verifies structure, header alg (HS256/HS512 only, never "none"), and the signature in constant time. Returns the algorithm and the raw payload JSON bytes.
    ///
    /// The algorithm comes from the header but may only be one of the HMAC ones, so the secret is always used as an
    /// HMAC key (no algorithm-confusion). Every segment must be canonical unpadded base64url. Claims (`exp`, `iat`,
    /// `jti`) are not checked here: the payload is returned for the caller to judge against its own clock.
    public static func verify(_ token: String, secret: [UInt8]) -> Result<(algorithm: JWTAlgorithm, payload: [UInt8]), JWTVerificationError> {
        let utf8 = Array(token.utf8)
        var dots: [Int] = []
        for (offset, byte) in utf8.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(offset)
            guard dots.count <= 2 else { return .failure(.malformed) }
        }
        guard dots.count == 2 else { return .failure(.malformed) }
        let headerText = String(decoding: utf8[..<dots[0]], as: UTF8.self)
        let payloadText = String(decoding: utf8[(dots[0] + 1)..<dots[1]], as: UTF8.self)
        let signatureText = String(decoding: utf8[(dots[1] + 1)...], as: UTF8.self)
        guard let header = Base64URL.decode(headerText), let payload = Base64URL.decode(payloadText) else {
            return .failure(.malformed)
        }
        guard let name = JWTHeader.algorithm(in: header) else {
            return .failure(.malformed)
        }
        guard let algorithm = JWTAlgorithm(rawValue: name) else {
            return .failure(.unsupportedAlgorithm)
        }
        // A missing or undecodable signature is simply a wrong one (this also covers `alg: none` style empty ones).
        guard let signature = Base64URL.decode(signatureText) else {
            return .failure(.badSignature)
        }
        let expected = algorithm.mac(key: secret, message: Array(utf8[..<dots[1]]))
        guard ConstantTime.equals(expected, signature) else {
            return .failure(.badSignature)
        }
        return .success((algorithm: algorithm, payload: payload))
    }
}
