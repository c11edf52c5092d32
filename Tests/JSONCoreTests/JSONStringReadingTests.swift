import JSONCore
import Testing
import TextCoding

/// The reader makes an all-ASCII string without escapes straight from its bytes (no validation pass for up to 15
/// bytes, the standard library's small-string limit), and every other string on the exact path. These tests hold
/// both routes to the same text around the lengths where the routes and the string's storage change.
@Suite struct JSONStringReadingTests {
    static let printableASCII: [UInt8] = Array(0x20...0x7E).filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }

    static func literal(_ content: [UInt8]) -> [UInt8] { [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")] }

    @Test func asciiRunsOfEveryLengthReadAsTheirBytes() throws {
        for length in 0...40 {
            for offset in 0..<Self.printableASCII.count {
                let content = (0..<length).map { Self.printableASCII[($0 &* 7 &+ offset) % Self.printableASCII.count] }
                let value = try JSONReader.parse(Self.literal(content))
                let text = try #require(value.stringValue)
                #expect(Array(text.utf8) == content, "length \(length) offset \(offset)")
                #expect(text == String(decoding: content, as: UTF8.self))
                // The same text as a key, and as a value beside another member (whose key, an escaped quote, the
                // text never equals).
                let object = try JSONReader.parse(Array("{".utf8) + Self.literal(content) + Array(#":1,"\"":"#.utf8)
                    + Self.literal(content) + Array("}".utf8))
                #expect(object.objectValue?.keys == [text, "\""])
                #expect(object["\""] == .string(text))
            }
        }
    }

    @Test func nonASCIIAndEscapesAtEveryPositionAroundTheSmallStringLimit() throws {
        let specials: [(spelled: [UInt8], text: String)] = [
            (Array("é".utf8), "é"), (Array("€".utf8), "€"), (Array("😀".utf8), "😀"), (Array("\u{7F}".utf8), "\u{7F}"),
            (Array(#"\n"#.utf8), "\n"), (Array(#"\u00e9"#.utf8), "é"), (Array(#"\""#.utf8), "\""),
            (Array("\u{2028}".utf8), "\u{2028}"),
        ]
        for length in 12...18 {
            for position in 0...length {
                for special in specials {
                    let before = [UInt8](repeating: UInt8(ascii: "a"), count: position)
                    let after = [UInt8](repeating: UInt8(ascii: "z"), count: length - position)
                    let value = try JSONReader.parse(Self.literal(before + special.spelled + after))
                    let expected = String(decoding: before, as: UTF8.self) + special.text + String(decoding: after, as: UTF8.self)
                    #expect(value == .string(expected), "length \(length) position \(position) \(special.text.debugDescription)")
                }
            }
        }
    }

    @Test func invalidUTF8IsRefusedAtEveryPositionAroundTheSmallStringLimit() {
        let invalid: [[UInt8]] = [[0x80], [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8], [0xFF], [0xC0, 0xAF]]
        for length in 0...20 {
            for position in 0...length {
                for bad in invalid {
                    let content = [UInt8](repeating: UInt8(ascii: "a"), count: position) + bad
                        + [UInt8](repeating: UInt8(ascii: "a"), count: length - position)
                    #expect(throws: JSONError.self, "length \(length) position \(position) \(bad)") {
                        try JSONReader.parse(Self.literal(content))
                    }
                }
            }
        }
    }

    @Test func numbersKeepTheirLiteral() throws {
        for literal in ["0", "-0", "12", "1.50", "12345678901234567890", "-1.5e+300", "123456789012345.678901234567890E-12"] {
            #expect(try JSONReader.parse(literal) == .number(literal))
            #expect(try JSONReader.parse("[\(literal)]") == .array([.number(literal)]))
        }
    }
}
