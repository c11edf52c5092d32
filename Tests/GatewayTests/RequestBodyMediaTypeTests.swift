@testable import Gateway
import Testing

/// The JSON media type check on a request's Content-Type: the byte rule for printable ASCII against the rule on
/// characters (lowercased, first non-empty `;` part, optional whitespace trimmed), which it replaced.
struct RequestBodyMediaTypeTests {
    @Test("Known values: JSON and +json types accepted in any case and with parameters; others refused")
    func knownValues() {
        let accepted = ["application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ",
                        "\tapplication/json\t;x", ";application/json", ";;application/json", "application/problem+json",
                        "APPLICATION/MERGE-PATCH+JSON; q=1", "application/+json"]
        let refused = ["", ";", " ", "text/json", "application/jsonx", "application/json5", "application/xml",
                       "application /json", "application/ json", " ;application/json", "application/jso", "+json",
                       "application+json", "application/x+jsn", "xapplication/json", "application/json\u{301}",
                       "application/\u{301}x+json", "application/x+json\u{301}"]
        for value in accepted { #expect(RequestBody.isJSON(contentType: value), "\(value)") }
        for value in refused { #expect(!RequestBody.isJSON(contentType: value), "\(value)") }
    }

    @Test("Generated values: the byte rule agrees with the rule on characters")
    func generated() {
        let pieces = ["application", "APPLICATION", "Application", "/", "json", "JSON", "+json", "+JSON", "+", ";", " ",
                      "\t", "x", "problem", "charset=utf-8", "=", "\u{301}", "\u{212A}", "é", "\"", "\u{7F}", "\u{0}"]
        var state: UInt64 = 0x00C0_FFEE
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var acceptedCount = 0
        for _ in 0..<20_000 {
            var value = ""
            for _ in 0..<(1 + next(7)) { value += pieces[next(pieces.count)] }
            if next(3) == 0 { value = "application/" + value }
            let expected = RequestBody.isJSON(characters: value)
            #expect(RequestBody.isJSON(contentType: value) == expected, "\(Array(value.unicodeScalars))")
            if expected { acceptedCount += 1 }
        }
        #expect(acceptedCount >= 200, "only \(acceptedCount) generated values were JSON types")
    }
}
