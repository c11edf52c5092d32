/// Base64url without padding (RFC 4648 section 5; RFC 7515 appendix C), the encoding of every JWT segment.
public enum Base64URL {
    /// Encodes `bytes` with the URL-safe alphabet (`-` and `_`) and no `=` padding.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Base64Codec.encode(bytes, alphabet: Base64Codec.urlAlphabet, padded: false)
    }

    /// Decodes the canonical unpadded URL-safe encoding, or returns nil: `=` padding, `+`, `/`, whitespace,
    /// a length of 4n+1 characters, or non-zero unused trailing bits are all rejected.
    public static func decode(_ s: String) -> [UInt8]? {
        Base64Codec.decode(s, table: Base64Codec.urlTable, padded: false)
    }
}
