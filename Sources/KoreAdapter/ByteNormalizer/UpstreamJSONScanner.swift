import TextCoding

/// Reads Kore.ai's answer in place: finds where each value starts and ends, checking it against RFC 8259 as strictly
/// as `JSONReader` does (same grammar, same depth limit, UTF-8 validated), without building anything.
///
/// Every function returns nil where `JSONReader` would throw, and also for what the byte-to-byte normalizer does not
/// handle (an escaped key): the caller then gives the answer to the tree normalizer, which owns every error. Being
/// stricter than `JSONReader` is therefore safe; being more lenient would be a bug (the differential test and the
/// fuzz target look for exactly that).
struct UpstreamJSONScanner {
    let bytes: [UInt8]
    /// `JSONReader.defaultMaxDepth`: containers nested deeper make the reader throw.
    static let maxDepth = 64

    func skipWhitespace(_ from: Int) -> Int {
        var i = from
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return i
            }
        }
        return i
    }

    /// The whole document as one value with nothing but whitespace after it.
    func document() -> ScannedValue? {
        guard let value = value(at: skipWhitespace(0), depth: 0) else { return nil }
        return skipWhitespace(value.end) == bytes.count ? value : nil
    }

    /// The value starting at `i` (no leading whitespace), inside `depth` open containers.
    func value(at i: Int, depth: Int) -> ScannedValue? {
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return container(at: i, depth: depth, close: UInt8(ascii: "}"), kind: .object)
        case UInt8(ascii: "["): return container(at: i, depth: depth, close: UInt8(ascii: "]"), kind: .array)
        case UInt8(ascii: "\""): return string(at: i)
        case UInt8(ascii: "t"): return literal("true", at: i, .true)
        case UInt8(ascii: "f"): return literal("false", at: i, .false)
        case UInt8(ascii: "n"): return literal("null", at: i, .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let end = numberEnd(at: i) else { return nil }
            return ScannedValue(kind: .number, start: i, end: end)
        default: return nil
        }
    }

    /// The members of the object `object` (already scanned), appended to `members`; nil for an escaped key.
    func members(of object: ScannedValue, into members: inout [ScannedMember]) -> Range<Int>? {
        let first = members.count
        var i = skipWhitespace(object.start + 1)
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "}") { return first..<first }
        while true {
            guard let key = string(at: i), !key.escaped else { return nil }
            i = skipWhitespace(key.end)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            guard let value = value(at: skipWhitespace(i + 1), depth: 0) else { return nil }
            members.append(ScannedMember(keyStart: key.start + 1, keyEnd: key.end - 1, keyNonASCII: key.nonASCII, value: value))
            i = skipWhitespace(value.end)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "}") { return first..<members.count }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipWhitespace(i + 1)
        }
    }

    /// The elements of the array `array` (already scanned), appended to `elements`.
    func elements(of array: ScannedValue, into elements: inout [ScannedValue]) -> Range<Int>? {
        let first = elements.count
        var i = skipWhitespace(array.start + 1)
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "]") { return first..<first }
        while true {
            guard let element = value(at: i, depth: 0) else { return nil }
            elements.append(element)
            i = skipWhitespace(element.end)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "]") { return first..<elements.count }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipWhitespace(i + 1)
        }
    }

    // MARK: the grammar

    private func container(at start: Int, depth: Int, close: UInt8, kind: ScannedValue.Kind) -> ScannedValue? {
        // The reader counts the container it opens: the outermost is depth 1.
        guard depth < Self.maxDepth else { return nil }
        var i = skipWhitespace(start + 1)
        guard i < bytes.count else { return nil }
        if bytes[i] == close { return ScannedValue(kind: kind, start: start, end: i + 1) }
        while true {
            if kind == .object {
                guard let key = string(at: i), !key.escaped else { return nil }
                i = skipWhitespace(key.end)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i = skipWhitespace(i + 1)
            }
            guard let member = value(at: i, depth: depth + 1) else { return nil }
            i = skipWhitespace(member.end)
            guard i < bytes.count else { return nil }
            if bytes[i] == close { return ScannedValue(kind: kind, start: start, end: i + 1) }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipWhitespace(i + 1)
        }
    }

    private func literal(_ word: StaticString, at start: Int, _ kind: ScannedValue.Kind) -> ScannedValue? {
        let count = word.utf8CodeUnitCount
        guard count <= bytes.count - start else { return nil }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[start + $0] == expected[$0] }
        }
        return matches ? ScannedValue(kind: kind, start: start, end: start + count) : nil
    }

    /// `JSONReader.readNumber`'s grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private func numberEnd(at start: Int) -> Int? {
        var i = start
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, Self.isDigit(bytes[i]) { return nil }
        } else {
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        return i
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// A string literal: no raw control bytes, escapes as the reader accepts them (a high surrogate only with its
    /// low one, no lone low surrogate), and UTF-8 valid.
    private func string(at start: Int) -> ScannedValue? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var i = start + 1
        var escaped = false
        var high: UInt8 = 0
        while true {
            let from = i
            i = bytes.withUnsafeBufferPointer { ByteScan.jsonStringRunEnd($0, from: from, high: &high) }
            guard i < bytes.count else { return nil }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            guard b == UInt8(ascii: "\\") else { return nil }  // a control byte
            escaped = true
            guard let next = JSONEscape.decode(bytes, at: i) else { return nil }
            i = next.end
        }
        let end = i + 1
        let nonASCII = high >= 0x80
        // Escapes are ASCII and decode to whole sequences, so validating the literal as it stands is validating the
        // decoded text (what the reader checks).
        if nonASCII, !UTF8Check.isValid(bytes, (start + 1)..<i) { return nil }
        return ScannedValue(kind: .string, start: start, end: end, escaped: escaped, nonASCII: nonASCII)
    }
}
