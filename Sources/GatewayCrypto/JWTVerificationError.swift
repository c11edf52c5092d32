/// Why `JWT.verify` refused a token. Deliberately coarse: callers answer 401 either way, and the detail
/// must not help an attacker probe the verifier.
public enum JWTVerificationError: Error, Equatable, Sendable {
    /// Not three base64url segments, or a header that is not a JSON object with a string `alg`.
    case malformed
    /// The header names an algorithm other than HS256/HS512 (including `none`).
    case unsupportedAlgorithm
    /// The signature does not match the header and payload under the given secret.
    case badSignature
}
