import TextCoding

/// Serializes a `JSONValue` to compact (or indented) UTF-8. Key order is the object's order; `/` is not escaped;
/// control characters are. Output is always valid RFC 8259 JSON.
public enum JSONWriter {
    public static func write(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        var out = JSONByteSink(capacity: 512)
        append(value, to: &out, indent: pretty ? 0 : nil)
        return out.finish()
    }

    public static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        String(decoding: write(value, pretty: pretty), as: UTF8.self)
    }

    private static func newline(_ out: inout JSONByteSink, _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20); out.append(0x20) }
    }

    static func append(_ value: JSONValue, to out: inout JSONByteSink, indent: Int?) {
        switch value {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let literal): out.append(utf8: literal)
        case .string(let s): out.appendLiteral(s)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            let inner = indent.map { $0 + 1 }
            for i in items.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, inner)
                append(items[i], to: &out, indent: inner)
            }
            if !items.isEmpty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let inner = indent.map { $0 + 1 }
            let entries = object.entries
            for i in entries.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, inner)
                out.appendLiteral(entries[i].key)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                append(entries[i].value, to: &out, indent: inner)
            }
            if !entries.isEmpty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    public static func appendString(_ s: String, to out: inout [UInt8]) {
        JSONStringEscaping.append(s, to: &out)
    }
}

/// The writer's output: an array filled with zeros ahead of what is written and cut to length at the end, so a
/// string literal is one copy into place (an `Array.append(contentsOf:)` per string cost about 130 instructions,
/// most of the escaper's time); the array doubles when a write would not fit.
struct JSONByteSink {
    private var storage: [UInt8]
    private var count = 0

    init(capacity: Int) { storage = [UInt8](repeating: 0, count: capacity) }

    /// Room for `extra` more bytes after what is written.
    private mutating func reserve(_ extra: Int) {
        let (needed, overflow) = count.addingReportingOverflow(extra)
        guard !overflow else { preconditionFailure("JSON output beyond the address space") }
        guard needed > storage.count else { return }
        let (doubled, doubleOverflow) = storage.count.multipliedReportingOverflow(by: 2)
        let target = doubleOverflow ? needed : Swift.max(needed, doubled)
        // A zeroed array (one memset) and one copy of what is written: appending zeros was a loop per byte.
        var grown = [UInt8](repeating: 0, count: target)
        let written = count
        storage.withUnsafeBufferPointer { old in
            grown.withUnsafeMutableBufferPointer { new in
                if let source = old.baseAddress, let base = new.baseAddress, written > 0 {
                    base.update(from: source, count: written)
                }
            }
        }
        storage = grown
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    mutating func append(_ text: StaticString) {
        reserve(text.utf8CodeUnitCount)
        text.withUTF8Buffer { copy($0) }
    }

    /// Text written as it is (a number's literal).
    mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { bytes in
            reserve(bytes.count)
            copy(bytes)
        }
    }

    /// `text` as a JSON string literal, quotes included: the escaper's bytes exactly.
    mutating func appendLiteral(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if ByteScan.jsonEscapeIndex(bytes, from: 0) == bytes.count {
                // Nothing to escape (nearly every string): quote, one copy, quote.
                reserve(bytes.count + 2)
                storage[count] = UInt8(ascii: "\"")
                count += 1
                copy(bytes)
                storage[count] = UInt8(ascii: "\"")
                count += 1
            } else {
                reserve(JSONStringEscaping.maxLiteralCount(utf8Count: bytes.count))
                var index = count
                storage.withUnsafeMutableBufferPointer { target in
                    JSONStringEscaping.write(utf8: bytes, into: target, at: &index)
                }
                count = index
            }
        }
    }

    /// Copies `bytes` after what is written; room was reserved.
    private mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        let start = count
        precondition(start + bytes.count <= storage.count, "JSONByteSink: write past the reserved room")
        storage.withUnsafeMutableBufferPointer { target in
            guard let base = target.baseAddress else { return }
            (base + start).update(from: source, count: bytes.count)
        }
        count = start + bytes.count
    }

    consuming func finish() -> [UInt8] {
        storage.removeSubrange(count...)
        return storage
    }
}

extension JSONValue {
    /// Compact UTF-8 serialization.
    public var bytes: [UInt8] { JSONWriter.write(self) }
}
