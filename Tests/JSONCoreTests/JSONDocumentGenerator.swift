import JSONCore
import TestSupport

/// Generates random JSON documents as text, together with the value they denote, exercising what a hand-written
/// reader gets wrong: every escape form (short, `\u` BMP, surrogate pairs), raw multi-byte UTF-8, all number
/// forms (sign, fraction, exponent case and sign), whitespace of all four kinds between every token, empty and
/// nested containers, and top-level scalars.
struct JSONDocumentGenerator {
    var rng: SeededGenerator
    let maxDepth: Int

    init(seed: UInt64, maxDepth: Int = 5) {
        rng = SeededGenerator(seed: seed)
        self.maxDepth = maxDepth
    }

    mutating func document() -> (text: String, value: JSONValue) {
        let (text, value) = element(depth: 0)
        return (space() + text + space(), value)
    }

    private mutating func element(depth: Int) -> (String, JSONValue) {
        let containerAllowed = depth < maxDepth
        switch Int.random(in: 0..<(containerAllowed ? 8 : 5), using: &rng) {
        case 0: return ("null", .null)
        case 1: let b = Bool.random(using: &rng); return (b ? "true" : "false", .bool(b))
        case 2: let n = number(); return (n, .number(n))
        case 3, 4: let (t, s) = string(); return (t, .string(s))
        case 5: return array(depth: depth + 1)
        default: return object(depth: depth + 1)
        }
    }

    private mutating func array(depth: Int) -> (String, JSONValue) {
        let count = Int.random(in: 0...5, using: &rng)
        var parts: [String] = []
        var values: [JSONValue] = []
        for _ in 0..<count {
            let (t, v) = element(depth: depth)
            parts.append(space() + t + space())
            values.append(v)
        }
        return ("[" + (count == 0 ? space() : parts.joined(separator: ",")) + "]", .array(values))
    }

    private mutating func object(depth: Int) -> (String, JSONValue) {
        let count = Int.random(in: 0...5, using: &rng)
        var parts: [String] = []
        var members: [(String, JSONValue)] = []
        var used: Set<String> = []
        for _ in 0..<count {
            let (keyText, key) = string()
            guard used.insert(key).inserted else { continue }  // Foundation's dictionaries cannot show duplicates
            let (t, v) = element(depth: depth)
            parts.append(space() + keyText + space() + ":" + space() + t + space())
            members.append((key, v))
        }
        return ("{" + (parts.isEmpty ? space() : parts.joined(separator: ",")) + "}", .object(JSONObject(members)))
    }

    private mutating func space() -> String {
        let pool = [" ", "\t", "\n", "\r"]
        return String((0..<Int.random(in: 0...2, using: &rng)).map { _ in Character(pool.randomElement(using: &rng) ?? " ") })
    }

    private mutating func digits(_ range: ClosedRange<Int>, leadingNonZero: Bool) -> String {
        var out = ""
        for i in 0..<Int.random(in: range, using: &rng) {
            out += String(Int.random(in: (i == 0 && leadingNonZero ? 1 : 0)...9, using: &rng))
        }
        return out
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept within Double's range so both parsers can agree.
    private mutating func number() -> String {
        var n = Bool.random(using: &rng) ? "-" : ""
        n += Int.random(in: 0..<4, using: &rng) == 0 ? "0" : digits(1...12, leadingNonZero: true)
        if Bool.random(using: &rng) { n += "." + digits(1...6, leadingNonZero: false) }
        if Int.random(in: 0..<3, using: &rng) == 0 {
            n += ["e", "E"].randomElement(using: &rng) ?? "e"
            n += ["", "+", "-"].randomElement(using: &rng) ?? ""
            n += String(Int.random(in: 0...30, using: &rng))
        }
        return n
    }

    /// A string literal and the string it denotes.
    private mutating func string() -> (String, String) {
        var text = "\""
        var value = ""
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let scalar = randomScalar()
            value.unicodeScalars.append(scalar)
            text += spell(scalar)
        }
        return (text + "\"", value)
    }

    private mutating func randomScalar() -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0x20...0x7E, 0x00...0x1F, 0x7F...0x7FF, 0x800...0xD7FF,
                                             0xE000...0xFFFD, 0x10000...0x10FFFF, 0x22...0x22, 0x5C...0x5C, 0x2028...0x2029]
        let range = ranges.randomElement(using: &rng) ?? 0x41...0x41
        return Unicode.Scalar(UInt32.random(in: range, using: &rng)) ?? "?"
    }

    private mutating func spell(_ scalar: Unicode.Scalar) -> String {
        let short: [UInt32: String] = [0x22: "\\\"", 0x5C: "\\\\", 0x2F: "\\/", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n",
                                       0x0D: "\\r", 0x09: "\\t"]
        let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
        switch Int.random(in: 0..<4, using: &rng) {
        case 0 where short[scalar.value] != nil: return short[scalar.value] ?? ""
        case 1: return unicodeEscape(scalar)
        default: return mustEscape ? (short[scalar.value] ?? unicodeEscape(scalar)) : String(scalar)
        }
    }

    private mutating func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        func hex(_ v: UInt32) -> String {
            let digits = String(v, radix: 16, uppercase: Bool.random(using: &rng))
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        if scalar.value < 0x10000 { return hex(scalar.value) }
        let v = scalar.value - 0x10000
        return hex(0xD800 + (v >> 10)) + hex(0xDC00 + (v & 0x3FF))
    }
}
