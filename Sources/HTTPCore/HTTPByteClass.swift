/// Byte classes shared by the server's request parser and the client's response parser, from RFC 9110 5.6.2 (tchar) and 5.5 (field values), as switch statements the optimizer turns into
/// range checks: no table to initialise lazily.
public enum HTTPByteClass {
    public static let cr: UInt8 = 13
    public static let lf: UInt8 = 10
    public static let space: UInt8 = 32
    public static let tab: UInt8 = 9
    public static let colon: UInt8 = 58

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    /// as one bit per byte value in two words (a shift and a test per byte; the ranges and the fifteen marks as a
    /// switch compiled to a chain of compares).
    @inlinable @inline(__always)
    public static func isToken(_ b: UInt8) -> Bool {
        // Bit n of the first word: byte n (`!#$%&'*+-.` and the digits); of the second: byte 64 + n (the letters
        // and `^_`|~`).
        let word: UInt64 = b < 64 ? 0x03FF_6CFA_0000_0000 : (b < 128 ? 0x57FF_FFFF_C7FF_FFFE : 0)
        return (word >> UInt64(b & 63)) & 1 != 0
    }

    /// field-vchar / SP / HTAB; obs-text (0x80-0xFF) is tolerated as RFC 9110 5.5 allows. CR, LF, NUL, DEL and other
    /// controls are not.
    @inlinable @inline(__always)
    public static func isFieldValue(_ b: UInt8) -> Bool {
        b == tab || (b >= 0x20 && b != 0x7F)
    }

    /// Bytes allowed in a request target: visible ASCII except `#` (a fragment is never sent, RFC 9112 3.2).
    @inlinable @inline(__always)
    public static func isTarget(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && b != UInt8(ascii: "#")
    }

    /// ASCII-lowercases `b`.
    @inlinable @inline(__always)
    public static func lower(_ b: UInt8) -> UInt8 {
        (b >= 65 && b <= 90) ? b | 0x20 : b
    }

    /// Case-insensitive comparison of raw bytes with a lowercase ASCII literal.
    @inlinable
    public static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        for i in 0..<bytes.count where lower(bytes[i]) != lit[i] { return false }
        return true
    }
}
