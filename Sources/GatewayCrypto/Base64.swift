/// Standard Base64 (RFC 4648 section 4): `+` and `/`, padded with `=`.
///
/// Used where Kore.ai expects ordinary Base64 (v2 SMS message text) and for secrets given in Base64.
public enum Base64 {
    /// Encodes `bytes` with the standard alphabet, padded with `=` to a multiple of four characters.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Base64Codec.encode(bytes, alphabet: Base64Codec.standardAlphabet, padded: true)
    }

    /// Decodes the canonical standard-alphabet encoding, or returns nil: the length must be a multiple of four with
    /// exactly the required `=` padding, no whitespace or URL-safe characters, and zero unused trailing bits.
    public static func decode(_ s: String) -> [UInt8]? {
        Base64Codec.decode(s, table: Base64Codec.standardTable, padded: true)
    }
}
