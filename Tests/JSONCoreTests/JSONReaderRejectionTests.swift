import JSONCore
import Testing

/// What a strict RFC 8259 reader must refuse, and why (the reason is part of the contract: it ends up in logs).
struct JSONReaderRejectionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let bytes: [UInt8]
        let reason: JSONError.Reason
        init(_ label: String, _ text: String, _ reason: JSONError.Reason) {
            self.label = label; self.bytes = Array(text.utf8); self.reason = reason
        }
        init(_ label: String, bytes: [UInt8], _ reason: JSONError.Reason) {
            self.label = label; self.bytes = bytes; self.reason = reason
        }
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case("trailing comma in array", "[1,2,]", .unexpectedByte),
        Case("trailing comma in object", #"{"a":1,}"#, .unexpectedByte),
        Case("leading zero", "01", .invalidNumber),
        Case("leading zero in array", "[007]", .invalidNumber),
        Case("negative leading zero", "-01", .invalidNumber),
        Case("lone high surrogate", #""\uD800""#, .invalidEscape),
        Case("lone low surrogate", #""\uDC00""#, .invalidEscape),
        Case("high surrogate then a letter", #""\uD83D\u0041""#, .invalidEscape),
        Case("high surrogate then raw text", #""\uD83Dx""#, .invalidEscape),
        Case("raw control character in string", "\"a\u{01}b\"", .controlCharacterInString),
        Case("raw newline in string", "\"a\nb\"", .controlCharacterInString),
        Case("raw tab in string", "\"a\tb\"", .controlCharacterInString),
        Case("depth 1000 arrays", String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000), .tooDeep),
        Case("depth 1000 objects", String(repeating: #"{"a":"#, count: 1000) + "1" + String(repeating: "}", count: 1000), .tooDeep),
        Case("invalid UTF-8: truncated sequence", bytes: [0x22, 0xC3, 0x28, 0x22], .invalidUTF8),
        Case("invalid UTF-8: overlong slash", bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8),
        Case("invalid UTF-8: encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8),
        Case("invalid UTF-8: stray continuation", bytes: [0x22, 0x80, 0x22], .invalidUTF8),
        Case("invalid UTF-8: 0xFF", bytes: [0x22, 0x61, 0xFF, 0x22], .invalidUTF8),
        Case("invalid UTF-8 after an escape", bytes: Array(#""\n"#.utf8) + [0xFE, 0x22], .invalidUTF8),
        Case("trailing garbage after object", "{} x", .trailingData),
        Case("two values", "1 2", .trailingData),
        Case("literal with a tail", "truex", .trailingData),
        Case("NUL after value", "{}\u{0}", .trailingData),
        Case("empty input", "", .unexpectedEnd),
        Case("only whitespace", " \n\t", .unexpectedEnd),
        Case("unterminated string", #""abc"#, .unexpectedEnd),
        Case("unterminated array", "[1", .unexpectedEnd),
        Case("truncated literal", "nul", .unexpectedEnd),
        Case("misspelled literal", "nulL", .unexpectedByte),
        Case("bare minus", "-", .invalidNumber),
        Case("fraction without digits", "1.", .invalidNumber),
        Case("exponent without digits", "1e+", .invalidNumber),
        Case("leading plus", "+1", .unexpectedByte),
        Case("leading dot", ".5", .unexpectedByte),
        Case("NaN", "NaN", .unexpectedByte),
        Case("single quotes", "'a'", .unexpectedByte),
        Case("unquoted key", "{a:1}", .unexpectedByte),
        Case("comment", "[1 // no\n]", .unexpectedByte),
        Case("unknown escape", #""\x41""#, .invalidEscape),
        Case("short unicode escape", #""\u12""#, .invalidEscape),
        Case("missing colon", #"{"a" 1}"#, .unexpectedByte),
    ]

    @Test("Rejected, with the documented reason", arguments: cases)
    func rejects(_ c: Case) {
        #expect(throws: JSONError.self) { try JSONReader.parse(c.bytes) }
        do {
            _ = try JSONReader.parse(c.bytes)
        } catch {
            #expect(error.reason == c.reason, "\(error)")
            #expect(error.offset >= 0 && error.offset <= c.bytes.count)
        }
    }

    @Test("Nesting up to the limit is fine; one more level is not")
    func depthBoundary() throws {
        let limit = JSONReader.defaultMaxDepth
        _ = try JSONReader.parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        #expect(throws: JSONError.self) {
            try JSONReader.parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1))
        }
    }

    @Test("Duplicate keys keep the first position and the last value, for small and large objects alike")
    func duplicates() throws {
        #expect(try JSONReader.parse(#"{"a":1,"b":2,"a":3}"#).objectValue?.entries.map(\.key) == ["a", "b"])
        #expect(try JSONReader.parse(#"{"a":1,"b":2,"a":3}"#)["a"] == .number("3"))
        let many = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let parsed = try JSONReader.parse("{" + many + #","k5":"last","k99":null}"#)
        #expect(parsed.objectValue?.count == 100)
        #expect(parsed.objectValue?.keys.prefix(6).last == "k5")
        #expect(parsed["k5"] == .string("last"))
        #expect(parsed["k99"] == .null)
    }

    /// Inserting members one by one with a linear duplicate scan makes this 430 KB body take 88 s to parse in a
    /// debug build; parsing must stay linear. The bound is deliberately loose (this is not a benchmark): it only
    /// catches the quadratic case.
    @Test("An object with 40,000 keys parses in linear time")
    func manyKeys() throws {
        let text = "{" + (0..<40_000).map { "\"k\($0)\":0" }.joined(separator: ",") + "}"
        let clock = ContinuousClock()
        let start = clock.now
        let parsed = try JSONReader.parse(text)
        let elapsed = clock.now - start
        #expect(parsed.objectValue?.count == 40_000)
        #expect(elapsed < .seconds(10))
    }

    @Test("Accepted edge cases", arguments: ["0", "-0", "0.0e-0", "1E+2", #""\u0000""#, #""\uD83D\uDE00""#, #""\/""#,
                                              "[]", "{}", " [ ] ", #"{"":""}"#, "1e400", "123456789012345678901234567890"])
    func accepts(_ text: String) throws {
        let value = try JSONReader.parse(text)
        #expect(try JSONReader.parse(JSONWriter.write(value)) == value)
    }
}
