import TextCoding

/// One backslash escape of a JSON string, decoded as `JSONReader.readEscape` decodes it.
enum JSONEscape {
    /// The scalar the escape at `i` (the backslash) stands for and the index after it; nil where the reader throws.
    static func decode(_ bytes: [UInt8], at i: Int) -> (scalar: Unicode.Scalar, end: Int)? {
        guard i + 1 < bytes.count else { return nil }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""): return ("\"", i + 2)
        case UInt8(ascii: "\\"): return ("\\", i + 2)
        case UInt8(ascii: "/"): return ("/", i + 2)
        case UInt8(ascii: "b"): return ("\u{08}", i + 2)
        case UInt8(ascii: "f"): return ("\u{0C}", i + 2)
        case UInt8(ascii: "n"): return ("\n", i + 2)
        case UInt8(ascii: "r"): return ("\r", i + 2)
        case UInt8(ascii: "t"): return ("\t", i + 2)
        case UInt8(ascii: "u"):
            guard let first = hex4(bytes, at: i + 2) else { return nil }
            var value = first
            var end = i + 6
            if (0xD800...0xDBFF).contains(first) {
                // A high surrogate must be followed by an escaped low one.
                guard end + 1 < bytes.count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u"),
                      let low = hex4(bytes, at: end + 2), (0xDC00...0xDFFF).contains(low) else { return nil }
                value = 0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
                end += 6
            } else if (0xDC00...0xDFFF).contains(first) {
                return nil
            }
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, end)
        default: return nil
        }
    }

    private static func hex4(_ bytes: [UInt8], at i: Int) -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for j in i..<(i + 4) {
            guard let digit = HexDigit.value(bytes[j]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// Strict UTF-8 (Unicode's table of well-formed byte sequences): what `String(decoding:)` leaves unrepaired, which is
/// how `JSONReader` decides.
enum UTF8Check {
    static func isValid(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let count: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the second byte's range
            switch lead {
            case 0xC2...0xDF: count = 2
            case 0xE0: count = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: count = 3
            case 0xED: count = 3; high = 0x9F
            case 0xF0: count = 4; low = 0x90
            case 0xF1...0xF3: count = 4
            case 0xF4: count = 4; high = 0x8F
            default: return false
            }
            guard count <= end - i else { return false }
            guard (low...high).contains(bytes[i + 1]) else { return false }
            for j in (i + 2)..<(i + count) where !(0x80...0xBF).contains(bytes[j]) { return false }
            i += count
        }
        return true
    }
}
