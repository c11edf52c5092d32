import TextCoding
import Testing

/// `trimmingOWS` on bytes (ASCII) gives what the character-wise rule gives, on strings and substrings, including the
/// non-ASCII cases that keep the character-wise path (a space carrying a combining mark is not optional whitespace).
struct TrimmingOWSTests {
    static func characterWise(_ text: Substring) -> String {
        String(text.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }

    @Test(arguments: ["", " ", "\t \t", "application/json", "  application/json \t", "a b", " a\tb ", "\u{301}x ",
                      " \u{301}x", "x \u{301}", "é ", " \r\n", "\t\"etag\" "])
    func sameAsTheCharacterWiseRule(text: String) {
        #expect(text.trimmingOWS() == Self.characterWise(text[...]))
        let inner = ("[" + text + "]").dropFirst().dropLast()
        #expect(inner.trimmingOWS() == Self.characterWise(inner))
    }
}
