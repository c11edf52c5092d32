import TextCoding

/// The Host field's value as RFC 9112 section 3.2 requires it: `uri-host [ ":" port ]` (RFC 3986 section 3.2.2),
/// or empty when the target has no authority. A front end and this server must agree on which host a request is
/// for, so anything else (a space, a slash, userinfo, a comma-joined list of two hosts) is refused rather than
/// guessed at.
enum HTTPHostField {
    /// Read on the value's contiguous bytes with integer positions (Substring views cost an index step per byte).
    static func isValid(_ value: String) -> Bool {
        // Every string the parser makes is native, so contiguous; the array is for any other.
        value.utf8.withContiguousStorageIfAvailable { isValid($0) } ?? Array(value.utf8).withUnsafeBufferPointer { isValid($0) }
    }

    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        var i = 0
        if bytes[0] == UInt8(ascii: "[") {
            // IP-literal: brackets around an IPv6 address or IPvFuture; checked for its alphabet, not parsed.
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            guard close > 1 else { return false }
            for k in 1..<close where !isIPLiteralByte(bytes[k]) { return false }
            i = close + 1
        } else {
            let hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
            guard hostEnd > 0, isRegName(UnsafeBufferPointer(rebasing: bytes[0..<hostEnd])) else { return false }
            i = hostEnd
        }
        if i == bytes.count { return true }
        // ":" port, where port is *DIGIT (an empty port is allowed by the grammar) and fits the 16-bit range.
        guard bytes[i] == UInt8(ascii: ":") else { return false }
        let port = UnsafeBufferPointer(rebasing: bytes[(i + 1)...])
        guard port.count <= 5 else { return false }
        var number = 0
        for b in port {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return false }
            number = number * 10 + Int(b - UInt8(ascii: "0"))  // at most 5 digits: no overflow
        }
        return number <= 65_535
    }

    /// reg-name: unreserved, pct-encoded and sub-delims, except the comma (no real host has one; a comma means two
    /// Host values were joined into one field).
    private static func isRegName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard isRegNameByte(byte) else { return false }
            index += 1
        }
        return true
    }

    /// `isUnreserved(b) || isSubDelimiterButComma(b)` as one bit per byte value in two words (a test holds the two
    /// to each other for every byte).
    @inline(__always)
    static func isRegNameByte(_ b: UInt8) -> Bool {
        let word: UInt64 = b < 64 ? 0x2BFF_6FD2_0000_0000 : (b < 128 ? 0x47FF_FFFE_87FF_FFFE : 0)
        return (word >> UInt64(b & 63)) & 1 != 0
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    static func isSubDelimiterButComma(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static func isHexDigit(_ b: UInt8) -> Bool { HexDigit.value(b) != nil }

    /// Hex digits, `:` and `.` (IPv6 with an embedded IPv4), and `v`/unreserved/sub-delims for IPvFuture.
    private static func isIPLiteralByte(_ b: UInt8) -> Bool {
        isUnreserved(b) || isSubDelimiterButComma(b) || b == UInt8(ascii: ":")
    }
}
