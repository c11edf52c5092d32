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
    /// The tape holds offsets as 32 bits: a longer document (far beyond any answer the client accepts) is left to
    /// the tree normalizer.
    static let maxDocumentBytes = Int(Int32.max)

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func skipWhitespace(_ from: Int) -> Int {
        bytes.withUnsafeBufferPointer { Self.skipWhitespace($0, from) }
    }

    private static func skipWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
        var i = from
        while i < b.count {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return i
            }
        }
        return i
    }

    /// Scans the whole document (one value with nothing but whitespace after it) onto the tape.
    mutating func document() -> ScannedValue? {
        guard bytes.count < Self.maxDocumentBytes else { return nil }
        // About one value per eight bytes of a pretty-printed answer: one allocation for nearly every answer.
        tape.reserveCapacity(bytes.count / 8 + 16)
        let all = bytes  // held apart from `self`, which the walk mutates (its tape)
        return all.withUnsafeBufferPointer { b in
            let start = Self.skipWhitespace(b, 0)
            guard let value = value(b, at: start, depth: 0, key: start..<start, keyNonASCII: false) else { return nil }
            return Self.skipWhitespace(b, value.end) == b.count ? value : nil
        }
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

    /// The element of an array (scanned by `document`) recorded at tape index `index`, where the walk over the
    /// array's elements starts at the array's `tapeIndex + 1` and steps to each element's `tapeNext` until the
    /// array's `tapeNext`: no list of elements is built. Nil when the index does not move the walk forward (never, for
    /// a tape the scanner recorded).
    func element(at index: Int, of array: ScannedValue) -> ScannedValue? {
        guard array.kind == .array, index > array.tapeIndex, index < array.tapeNext, index < tape.count else { return nil }
        let value = tape[index].value
        return value.tapeNext > index ? value : nil
    }

    // MARK: the grammar
    //
    // Every function reads the one buffer `b` (the scanner's bytes) and checks each index against `b.count` before
    // it reads there: the buffer's subscript is not checked in release builds.

    /// The value starting at `i` (no leading whitespace), inside `depth` open containers, recorded under `key`.
    private mutating func value(_ b: UnsafeBufferPointer<UInt8>, at i: Int, depth: Int, key: Range<Int>,
                                keyNonASCII: Bool) -> ScannedValue? {
        guard i >= 0, i < b.count else { return nil }
        let scanned: ScannedValue?
        switch b[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return container(b, at: i, depth: depth, key: key, keyNonASCII: keyNonASCII)
        case UInt8(ascii: "\""): scanned = string(b, at: i)
        case UInt8(ascii: "t"): scanned = Self.literal(b, 0x6575_7274, 4, at: i, .true)  // "true"
        case UInt8(ascii: "f"): scanned = Self.literal(b, 0x65_736C_6166, 5, at: i, .false)  // "false"
        case UInt8(ascii: "n"): scanned = Self.literal(b, 0x6C6C_756E, 4, at: i, .null)  // "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            scanned = Self.numberEnd(b, at: i).map { ScannedValue(kind: .number, start: i, end: $0) }
        default: return nil
        }
        guard var value = scanned else { return nil }
        value.tapeIndex = tape.count
        value.tapeNext = tape.count + 1
        record(b, value, key: key, keyNonASCII: keyNonASCII)
        return value
    }

    private mutating func record(_ b: UnsafeBufferPointer<UInt8>, _ value: ScannedValue, key: Range<Int>, keyNonASCII: Bool) {
        tape.append(ScannedMember(keyStart: key.lowerBound, keyEnd: key.upperBound, keyNonASCII: keyNonASCII,
                                  keyPrefix: ScannedMember.prefix(b, key), value: value))
    }

    private mutating func container(_ b: UnsafeBufferPointer<UInt8>, at start: Int, depth: Int, key: Range<Int>,
                                    keyNonASCII: Bool) -> ScannedValue? {
        // The reader counts the container it opens: the outermost is depth 1.
        guard depth < Self.maxDepth else { return nil }
        let isObject = b[start] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        let index = tape.count
        var value = ScannedValue(kind: isObject ? .object : .array, start: start, end: start, tapeIndex: index)
        record(b, value, key: key, keyNonASCII: keyNonASCII)  // completed below, once its end is known
        var i = Self.skipWhitespace(b, start + 1)
        guard i < b.count else { return nil }
        if b[i] != close {
            while true {
                var memberKey = i..<i
                var memberKeyNonASCII = false
                if isObject {
                    guard let key = string(b, at: i), !key.escaped else { return nil }
                    memberKey = key.content
                    memberKeyNonASCII = key.nonASCII
                    i = Self.skipWhitespace(b, key.end)
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                    i = Self.skipWhitespace(b, i + 1)
                }
                guard let member = self.value(b, at: i, depth: depth + 1, key: memberKey, keyNonASCII: memberKeyNonASCII) else {
                    return nil
                }
                i = Self.skipWhitespace(b, member.end)
                guard i < b.count else { return nil }
                if b[i] == close { break }
                guard b[i] == UInt8(ascii: ",") else { return nil }
                i = Self.skipWhitespace(b, i + 1)
            }
        }
        value.end = i + 1
        value.tapeNext = tape.count
        tape[index].value = value
        return value
    }

    /// A literal whose `count` bytes (at most eight) are `word`, little-endian.
    private static func literal(_ b: UnsafeBufferPointer<UInt8>, _ word: UInt64, _ count: Int, at start: Int,
                                _ kind: ScannedValue.Kind) -> ScannedValue? {
        guard count <= b.count - start else { return nil }
        for j in 0..<count where b[start + j] != UInt8(truncatingIfNeeded: word >> UInt64(8 * j)) { return nil }
        return ScannedValue(kind: kind, start: start, end: start + count)
    }

    /// `JSONReader.readNumber`'s grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func numberEnd(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return nil }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < b.count, isDigit(b[i]) { return nil }
        } else {
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { return nil }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return nil }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        return i
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// A string literal: no raw control bytes, escapes as the reader accepts them (a high surrogate only with its
    /// low one, no lone low surrogate), and UTF-8 valid. A plain literal (nearly every key and value) is found by
    /// sixteen-byte steps inlined here; any other goes through the full scan.
    @inline(__always)
    private func string(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> ScannedValue? {
        guard start < b.count, b[start] == UInt8(ascii: "\"") else { return nil }
        let end = StringRunScan.plainStringEnd(b, at: start)
        if end >= 0 { return ScannedValue(kind: .string, start: start, end: end, writtenAsRead: true) }
        return fullString(b, at: start)
    }

    @inline(never)
    private func fullString(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> ScannedValue? {
        guard start >= 0, start < b.count, b[start] == UInt8(ascii: "\"") else { return nil }
        var i = start + 1
        var escaped = false
        var high: UInt8 = 0
        var del = false
        while true {
            i = StringRunScan.runEnd(b, from: i, high: &high, del: &del)
            guard i < b.count else { return nil }
            let byte = b[i]
            if byte == UInt8(ascii: "\"") { break }
            guard byte == UInt8(ascii: "\\") else { return nil }  // a control byte
            escaped = true
            guard let next = JSONEscape.decode(bytes, at: i) else { return nil }
            i = next.end
        }
        let end = i + 1
        let nonASCII = high >= 0x80
        // Escapes are ASCII and decode to whole sequences, so validating the literal as it stands is validating the
        // decoded text (what the reader checks).
        if nonASCII, !UTF8Check.isValid(bytes, (start + 1)..<i) { return nil }
        return ScannedValue(kind: .string, start: start, end: end, escaped: escaped, nonASCII: nonASCII,
                            writtenAsRead: !escaped && !del)
    }
}
