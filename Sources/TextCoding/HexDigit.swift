/// The value of one hexadecimal digit, `0-9 a-f A-F`, or nil. The one copy every layer uses (chunk sizes,
/// percent-escapes, `\u` escapes in JSON, hex-encoded keys).
public enum HexDigit {
    @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// Lowercase digits, for encoders.
    public static let lowercase: [UInt8] = Array("0123456789abcdef".utf8)
    /// Uppercase digits, as RFC 3986 recommends for percent-encoding.
    public static let uppercase: [UInt8] = Array("0123456789ABCDEF".utf8)
}
