/// Reads the `alg` member out of a JWS header (a JSON object) without a JSON library.
///
/// GatewayCrypto depends on nothing, so it cannot use JSONCore; this is a strict, allocation-light reader for
/// exactly one question. It rejects what a lenient parser might let through: trailing garbage, duplicate `alg`
/// members (two parsers could disagree on which wins), a `crit` member (we implement no JWS extensions, and
/// RFC 7515 section 4.1.11 says such tokens must be rejected), and nesting deeper than a small bound.
struct JWTHeaderParser {
    /// Outcome of reading a header.
    enum Outcome: Equatable {
        /// A well-formed object whose `alg` is this (decoded) string.
        case algorithm(String)
        /// Not a JSON object, no string `alg`, duplicate `alg`, or `crit` present.
        case malformed
    }

    private let bytes: [UInt8]
    private var index = 0
    private static let maximumDepth = 16

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses `header` (the decoded first JWT segment) and returns its `alg`.
    static func algorithm(in header: [UInt8]) -> Outcome {
        var parser = JWTHeaderParser(header)
        return parser.parseHeader() ?? .malformed
    }

    private mutating func parseHeader() -> Outcome? {
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return nil }
        var algorithm: String?
        skipWhitespace()
        if !consume(UInt8(ascii: "}")) {
            while true {
                skipWhitespace()
                guard let key = parseString() else { return nil }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                switch key {
                case Array("alg".utf8):
                    guard algorithm == nil, let value = parseString() else { return nil }
                    let text = String(decoding: value, as: UTF8.self)
                    // Invalid UTF-8 would have been replaced with U+FFFD: refuse rather than compare a mangled name.
                    guard text.utf8.elementsEqual(value) else { return nil }
                    algorithm = text
                case Array("crit".utf8):
                    return nil
                default:
                    guard skipValue(depth: 1) else { return nil }
                }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                guard consume(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        skipWhitespace()
        guard index == bytes.count, let algorithm else { return nil }
        return .algorithm(algorithm)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func consume(_ literal: String) -> Bool {
        for byte in literal.utf8 {
            guard consume(byte) else { return false }
        }
        return true
    }

    /// Any JSON value; containers recurse up to `maximumDepth` so a hostile header cannot exhaust the stack.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth <= Self.maximumDepth, index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return parseString() != nil
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                guard parseString() != nil else { return false }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                return consume(UInt8(ascii: "}"))
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return true }
            while true {
                skipWhitespace()
                guard skipValue(depth: depth + 1) else { return false }
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                return consume(UInt8(ascii: "]"))
            }
        case UInt8(ascii: "t"):
            return consume("true")
        case UInt8(ascii: "f"):
            return consume("false")
        case UInt8(ascii: "n"):
            return consume("null")
        default:
            return skipNumber()
        }
    }

    /// RFC 8259 number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func skipNumber() -> Bool {
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            // A leading zero stands alone.
        } else if skipDigits() == 0 {
            return false
        }
        if consume(UInt8(ascii: ".")) && skipDigits() == 0 { return false }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            if skipDigits() == 0 { return false }
        }
        return true
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            index += 1
        }
        return index - start
    }

    /// A JSON string at `index`, returned as its decoded UTF-8 bytes (escapes resolved, surrogate pairs joined).
    private mutating func parseString() -> [UInt8]? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out = [UInt8]()
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = parseUnicodeEscape() else { return nil }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    return nil
                }
            case 0x00..<0x20:
                // Raw control characters are not allowed inside JSON strings.
                return nil
            default:
                out.append(byte)
            }
        }
        return nil
    }

    /// The scalar of a `\uXXXX` escape (the `\u` already consumed), joining a surrogate pair; nil for lone surrogates.
    private mutating func parseUnicodeEscape() -> Unicode.Scalar? {
        guard let first = parseHex4() else { return nil }
        switch first {
        case 0xD800...0xDBFF:
            guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")),
                  let second = parseHex4(), (0xDC00...0xDFFF).contains(second) else { return nil }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        case 0xDC00...0xDFFF:
            return nil
        default:
            return Unicode.Scalar(first)
        }
    }

    private mutating func parseHex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let nibble: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | nibble
            index += 1
        }
        return value
    }
}
