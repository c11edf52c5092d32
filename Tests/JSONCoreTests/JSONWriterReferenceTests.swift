import JSONCore
import Testing
import TextCoding

/// The writer fills a zeroed buffer and copies a string without escapes in one go; these tests hold it to the
/// plain appending writer it replaced, byte for byte, compact and pretty, across its growth.
@Suite struct JSONWriterReferenceTests {
    static func reference(_ value: JSONValue, to out: inout [UInt8], indent: Int?) {
        func newline(_ indent: Int?) {
            guard let indent else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: indent * 2))
        }
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let literal): out.append(contentsOf: literal.utf8)
        case .string(let s): JSONStringEscaping.append(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent.map { $0 + 1 })
                reference(item, to: &out, indent: indent.map { $0 + 1 })
            }
            if !items.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, entry) in object.entries.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent.map { $0 + 1 })
                JSONStringEscaping.append(entry.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                reference(entry.value, to: &out, indent: indent.map { $0 + 1 })
            }
            if !object.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func referenceBytes(_ value: JSONValue, pretty: Bool) -> [UInt8] {
        var out: [UInt8] = []
        reference(value, to: &out, indent: pretty ? 0 : nil)
        return out
    }

    @Test func generatedDocumentsWriteAsTheAppendingWriter() {
        for seed in UInt64(1)...300 {
            var generator = JSONDocumentGenerator(seed: seed)
            let value = generator.document().value
            for pretty in [false, true] {
                #expect(JSONWriter.write(value, pretty: pretty) == Self.referenceBytes(value, pretty: pretty),
                        "seed \(seed) pretty \(pretty)")
            }
        }
    }

    @Test func stringsOfEveryLengthWithEverySpecialAndTheBufferGrowing() {
        let specials = ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "€", "😀", "/", "\u{2028}"]
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 500, 511, 512, 513, 1500] {
            for special in specials {
                for position in Set([0, length / 2, length]) {
                    var text = String(repeating: "x", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    let members: [(String, JSONValue)] = [("k" + special, .string(text)), ("a", .array([.string(text), .int(length)]))]
                    let value = JSONValue.object(JSONObject(members))
                    for pretty in [false, true] {
                        #expect(JSONWriter.write(value, pretty: pretty) == Self.referenceBytes(value, pretty: pretty),
                                "length \(length) \(special.debugDescription) at \(position)")
                    }
                }
            }
        }
    }
}
