import JSONCore
import TextCoding

/// A caller's write body read in place: checked against RFC 8259 by the scanner the byte normalizer uses (as strict
/// as `JSONReader`, UTF-8 validated, nesting bounded) and walked on its tape, with no `JSONValue` tree and no `String`
/// per key. Strings are made only for the values the checks take.
///
/// It declines (nil) what only the tree reads exactly as `JSONReader` does: a body that does not scan (the reader's
/// error message is wanted), a root that is not an object, an escaped key (the scanner refuses it) and a key with a
/// byte above 0x7F (Swift compares such keys by canonical equivalence, which bytes cannot). Every key being ASCII,
/// bytes compare as the tree's `String`s do, and a key given twice is found by its last value in its first position,
/// the tree's rule.
final class ScannedWriteBody {
    let bytes: [UInt8]
    let tape: [ScannedMember]

    private init(bytes: [UInt8], tape: [ScannedMember]) {
        self.bytes = bytes
        self.tape = tape
    }

    /// The body's root object, or nil (see the type's comment).
    static func root(_ bytes: [UInt8]) -> ScannedWriteValue? {
        var scanner = UpstreamJSONScanner(bytes: bytes)
        guard let root = scanner.document(), root.kind == .object else { return nil }
        for member in scanner.tape where member.keyNonASCII { return nil }
        return ScannedWriteValue(body: ScannedWriteBody(bytes: bytes, tape: scanner.tape), index: root.tapeIndex)
    }
}

/// One value of a `ScannedWriteBody`: its place on the tape.
struct ScannedWriteValue: WriteBodyValue {
    let body: ScannedWriteBody
    let index: Int

    private var value: ScannedValue { body.tape[index].value }

    var isNull: Bool { value.kind == .null }

    var kindName: String {
        switch value.kind {
        case .null: return "null"
        case .true, .false: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    var stringValue: String? {
        let value = self.value
        guard value.kind == .string else { return nil }
        if value.escaped {
            // The literal alone is a JSON document: the reader decodes its escapes exactly as it does in a tree.
            guard case .string(let text)? = try? JSONReader.parse(Array(body.bytes[value.start..<value.end])) else {
                return nil
            }
            return text
        }
        let content = value.content
        return body.bytes.withUnsafeBufferPointer { all -> String in
            guard content.lowerBound >= 0, content.upperBound <= all.count else { return "" }
            let run = UnsafeBufferPointer(rebasing: all[content])
            // ASCII is made in place (up to 15 bytes without a validation pass, as the reader makes it); other text
            // was validated by the scanner (as the reader does), so decoding repairs nothing.
            if !value.nonASCII { return String(unsafeUninitializedCapacity: run.count) { $0.initialize(fromContentsOf: run) } }
            return String(decoding: run, as: UTF8.self)
        }
    }

    var intValue: Int? {
        let value = self.value
        guard value.kind == .number else { return nil }
        // `Int(literal)`, as the tree reads its number literal (a fraction or an exponent is not an integer).
        let literal = body.bytes.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[value.start..<value.end]), as: UTF8.self)
        }
        return Int(literal)
    }

    var boolValue: Bool? {
        switch value.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    var objectValue: ScannedWriteObject? {
        value.kind == .object ? ScannedWriteObject(body: body, index: index) : nil
    }

    var arrayValue: [ScannedWriteValue]? {
        let value = self.value
        guard value.kind == .array else { return nil }
        var elements: [ScannedWriteValue] = []
        var i = index + 1
        while i < value.tapeNext {
            elements.append(ScannedWriteValue(body: body, index: i))
            i = body.tape[i].value.tapeNext
        }
        return elements
    }
}

/// An object of a `ScannedWriteBody`: its members follow it on the tape.
struct ScannedWriteObject: WriteBodyObject {
    let body: ScannedWriteBody
    let index: Int

    subscript(key: String) -> ScannedWriteValue? {
        var key = key
        let found = key.withUTF8 { wanted -> Int? in
            // A key of up to eight bytes is decided by its length and its prefix word, which the tape holds.
            let prefix = ScannedMember.prefix(wanted)
            let count = wanted.count
            return body.tape.withUnsafeBufferPointer { tape -> Int? in
                guard index >= 0, index < tape.count else { return nil }
                let end = min(tape[index].value.tapeNext, tape.count)
                var found: Int?
                var i = index + 1
                while i < end {
                    let member = tape[i]
                    // Not stopping at a match: a key given twice means its last value.
                    if member.keyPrefix == prefix, member.keyLength == count,
                       count <= 8 || Self.sameTail(body.bytes, member.keyStart, wanted) {
                        found = i
                    }
                    i = member.value.tapeNext
                }
                return found
            }
        }
        return found.map { ScannedWriteValue(body: body, index: $0) }
    }

    /// Whether the bytes after the first eight of the key at `start` of `all` are those of `wanted` (same length).
    private static func sameTail(_ all: [UInt8], _ start: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        all.withUnsafeBufferPointer { all in
            guard start >= 0, wanted.count <= all.count - start else { return false }
            for j in 8..<wanted.count where all[start + j] != wanted[j] { return false }
            return true
        }
    }

    func forEachUnknownKey(writable: MemberNames, readOnly: MemberNames, _ each: (String) -> Void) {
        let tape = body.tape
        var unknown: [String] = []
        body.bytes.withUnsafeBufferPointer { all in
            var i = index + 1
            let end = tape[index].value.tapeNext
            while i < end {
                let member = tape[i]
                guard member.keyStart >= 0, member.keyStart <= member.keyEnd, member.keyEnd <= all.count else { return }
                let key = UnsafeBufferPointer(rebasing: all[member.keyStart..<member.keyEnd])
                if !writable.contains(asciiKey: key, prefix: member.keyPrefix)
                    && !readOnly.contains(asciiKey: key, prefix: member.keyPrefix)
                    && !Self.appearsBefore(key, member: i, in: all, tape: tape, from: index + 1) {
                    unknown.append(String(decoding: key, as: UTF8.self))
                }
                i = member.value.tapeNext
            }
        }
        for key in unknown { each(key) }
    }

    /// Whether the key at `start` of `all` is `wanted` (its length already compared).
    private static func same(_ all: UnsafeBufferPointer<UInt8>, _ start: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        guard start >= 0, wanted.count <= all.count - start else { return false }
        for j in 0..<wanted.count where all[start + j] != wanted[j] { return false }
        return true
    }

    /// Whether a member before `member` has the key `key` (a key given twice is reported once, at its first place).
    private static func appearsBefore(_ key: UnsafeBufferPointer<UInt8>, member: Int, in all: UnsafeBufferPointer<UInt8>,
                                      tape: [ScannedMember], from first: Int) -> Bool {
        var i = first
        while i < member {
            let earlier = tape[i]
            if earlier.keyLength == key.count, same(all, earlier.keyStart, key) { return true }
            i = earlier.value.tapeNext
        }
        return false
    }
}
