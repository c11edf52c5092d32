/// The JWS algorithms the gateway signs and accepts: HMAC with SHA-256 or SHA-512 (RFC 7518 section 3.2).
///
/// HS256 is the default Kore.ai documents for API-scope apps; HS512 is selectable per tenant. There is
/// deliberately no `none` case, so an unsigned token can never be produced or accepted.
public enum JWTAlgorithm: String, Sendable, CaseIterable {
    /// HMAC-SHA-256.
    case hs256 = "HS256"
    /// HMAC-SHA-512.
    case hs512 = "HS512"
}

extension JWTAlgorithm {
    /// The MAC of `message` under `key` for this algorithm.
    func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        switch self {
        case .hs256: return HMAC.sha256(key: key, message: message)
        case .hs512: return HMAC.sha512(key: key, message: message)
        }
    }
}
