import TextCoding

/// Reads Kore.ai's answer in place, once: checks it against RFC 8259 as strictly as `JSONReader` does (same grammar,
/// same depth limit, UTF-8 validated) and records every value on a tape, in document order, each container followed
/// by its members; nothing is copied or decoded.
///
/// Every function returns nil where `JSONReader` would throw, and also for what the byte-to-byte normalizer does not
/// handle (an escaped key): the caller then gives the answer to the tree normalizer, which owns every error. Being
/// stricter than `JSONReader` is therefore safe; being more lenient would be a bug (the differential test and the
/// fuzz target look for exactly that).
struct UpstreamJSONScanner {
    let bytes: [UInt8]
    /// Every value of the document; an array element's or the root's entry has an empty key.
    private(set) var tape: [ScannedMember] = []
    /// `JSONReader.defaultMaxDepth` for Kore.ai's answers: containers nested deeper make the reader throw.
    static let maxDepth = 64
    /// The nesting this scanner accepts: more for JSON the gateway wrote, where a member Kore.ai nested at the limit
    /// sits a level or two deeper under `extensions`.
    let maxDepth: Int

    init(bytes: [UInt8], maxDepth: Int = UpstreamJSONScanner.maxDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

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

    /// Scans the whole document (one value with nothing but whitespace after it) onto the tape.
    mutating func document() -> ScannedValue? {
        // About one value per eight bytes of a pretty-printed answer: one allocation for nearly every answer.
        tape.reserveCapacity(bytes.count / 8 + 16)
        let start = skipWhitespace(0)
        guard let value = value(at: start, depth: 0, key: start..<start, keyNonASCII: false) else { return nil }
        return skipWhitespace(value.end) == bytes.count ? value : nil
    }

    /// Scans the one value starting at `start` onto a fresh tape (JSON the gateway wrote itself, read again to put
    /// it in canonical order).
    mutating func value(startingAt start: Int) -> ScannedValue? {
        tape.removeAll(keepingCapacity: true)
        tape.reserveCapacity((bytes.count - start) / 8 + 16)
        return value(at: start, depth: 0, key: start..<start, keyNonASCII: false)
    }

    /// The members of the object `object` (scanned by `document`), appended to `members`.
    func members(of object: ScannedValue, into members: inout [ScannedMember]) -> Range<Int>? {
        guard object.kind == .object else { return nil }
        let first = members.count
        var i = object.tapeIndex + 1
        while i < object.tapeNext {
            members.append(tape[i])
            i = tape[i].value.tapeNext
        }
        return first..<members.count
    }

    /// The elements of the array `array` (scanned by `document`), appended to `elements`.
    func elements(of array: ScannedValue, into elements: inout [ScannedValue]) -> Range<Int>? {
        guard array.kind == .array else { return nil }
        let first = elements.count
        var i = array.tapeIndex + 1
        while i < array.tapeNext {
            elements.append(tape[i].value)
            i = tape[i].value.tapeNext
        }
        return first..<elements.count
    }

    // MARK: the grammar

    /// The value starting at `i` (no leading whitespace), inside `depth` open containers, recorded under `key`.
    private mutating func value(at i: Int, depth: Int, key: Range<Int>, keyNonASCII: Bool) -> ScannedValue? {
        guard i < bytes.count else { return nil }
        let scanned: ScannedValue?
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return container(at: i, depth: depth, key: key, keyNonASCII: keyNonASCII)
        case UInt8(ascii: "\""): scanned = string(at: i)
        case UInt8(ascii: "t"): scanned = literal("true", at: i, .true)
        case UInt8(ascii: "f"): scanned = literal("false", at: i, .false)
        case UInt8(ascii: "n"): scanned = literal("null", at: i, .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            scanned = numberEnd(at: i).map { ScannedValue(kind: .number, start: i, end: $0) }
        default: return nil
        }
        guard var value = scanned else { return nil }
        value.tapeIndex = tape.count
        value.tapeNext = tape.count + 1
        record(value, key: key, keyNonASCII: keyNonASCII)
        return value
    }

    private mutating func record(_ value: ScannedValue, key: Range<Int>, keyNonASCII: Bool) {
        tape.append(ScannedMember(keyStart: key.lowerBound, keyEnd: key.upperBound, keyNonASCII: keyNonASCII,
                                  keyPrefix: ScannedMember.prefix(bytes, key), value: value))
    }

    private mutating func container(at start: Int, depth: Int, key: Range<Int>, keyNonASCII: Bool) -> ScannedValue? {
        // The reader counts the container it opens: the outermost is depth 1.
        guard depth < maxDepth else { return nil }
        let isObject = bytes[start] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        let index = tape.count
        var value = ScannedValue(kind: isObject ? .object : .array, start: start, end: start, tapeIndex: index)
        record(value, key: key, keyNonASCII: keyNonASCII)  // completed below, once its end is known
        var i = skipWhitespace(start + 1)
        guard i < bytes.count else { return nil }
        if bytes[i] != close {
            while true {
                var memberKey = i..<i
                var memberKeyNonASCII = false
                if isObject {
                    guard let key = string(at: i), !key.escaped else { return nil }
                    memberKey = key.content
                    memberKeyNonASCII = key.nonASCII
                    i = skipWhitespace(key.end)
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i = skipWhitespace(i + 1)
                }
                guard let member = self.value(at: i, depth: depth + 1, key: memberKey, keyNonASCII: memberKeyNonASCII) else {
                    return nil
                }
                i = skipWhitespace(member.end)
                guard i < bytes.count else { return nil }
                if bytes[i] == close { break }
                guard bytes[i] == UInt8(ascii: ",") else { return nil }
                i = skipWhitespace(i + 1)
            }
        }
        value.end = i + 1
        value.tapeNext = tape.count
        tape[index].value = value
        return value
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
