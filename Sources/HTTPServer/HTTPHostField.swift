import TextCoding

/// The Host field's value as RFC 9112 section 3.2 requires it: `uri-host [ ":" port ]` (RFC 3986 section 3.2.2),
/// or empty when the target has no authority. A front end and this server must agree on which host a request is
/// for, so anything else (a space, a slash, userinfo, a comma-joined list of two hosts) is refused rather than
/// guessed at.
enum HTTPHostField {
    static func isValid(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if bytes.isEmpty { return true }
        if bytes.first == UInt8(ascii: "[") {
            // IP-literal: brackets around an IPv6 address or IPvFuture; checked for its alphabet, not parsed.
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy(isIPLiteralByte) else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            let host = bytes[..<hostEnd]
            guard !host.isEmpty, isRegName(host) else { return false }
            bytes = bytes[hostEnd...]
        }
        if bytes.isEmpty { return true }
        // ":" port, where port is *DIGIT (an empty port is allowed by the grammar) and fits the 16-bit range.
        guard bytes.first == UInt8(ascii: ":") else { return false }
        let port = bytes.dropFirst()
        return port.count <= 5 && port.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            && (port.isEmpty || Int(String(decoding: port, as: UTF8.self)).map { $0 <= 65_535 } == true)
    }

    /// reg-name: unreserved, pct-encoded and sub-delims, except the comma (no real host has one; a comma means two
    /// Host values were joined into one field).
    private static func isRegName(_ bytes: Substring.UTF8View.SubSequence) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                guard first < bytes.endIndex, bytes.index(after: first) < bytes.endIndex,
                      isHexDigit(bytes[first]), isHexDigit(bytes[bytes.index(after: first)]) else { return false }
                index = bytes.index(first, offsetBy: 2)
                continue
            }
            guard isUnreserved(byte) || isSubDelimiterButComma(byte) else { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    private static func isSubDelimiterButComma(_ b: UInt8) -> Bool {
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
