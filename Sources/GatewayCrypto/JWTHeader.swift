import JSONCore

/// The `alg` of a JWS header (a JSON object), read strictly: a header two parsers could read differently is refused.
/// So a duplicate member (which `alg` wins?) is malformed, and so is a `crit` member: we implement no JWS extensions,
/// and RFC 7515 section 4.1.11 says a token naming one we do not understand must be rejected.
enum JWTHeader {
    /// JWS headers are small and flat; a deep one is an attack on the parser, not a token.
    static let maximumDepth = 16

    /// The `alg` string, or nil when the header is not such an object.
    static func algorithm(in header: [UInt8]) -> String? {
        guard case .object(let members)? = try? JSONReader.parse(header, maxDepth: maximumDepth, duplicateKeys: .reject),
              members["crit"] == nil, case .string(let algorithm)? = members["alg"] else {
            return nil
        }
        return algorithm
    }
}
