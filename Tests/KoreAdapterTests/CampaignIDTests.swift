import KoreAdapter
import TestSupport
import Testing

/// Ids match `^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$` after percent-decoding, and nothing else gets
/// through, because an id must never be able to change the upstream path or query.
struct CampaignIDTests {
    @Test("Kore.ai's real id shapes are accepted as is",
          arguments: ["cd-2129073-58d9-44d5-a5d1-454b1220xxxx", "cd-3aefda80-f98e-5f4f-ad41-92803abbxxxx", "a", "A_b-9",
                      "0", String(repeating: "x", count: 128)])
    func accepts(_ raw: String) {
        #expect(CampaignID(pathSegment: raw)?.value == raw)
    }

    @Test("Percent-encoded allowed characters decode to the same id")
    func decodesPercentEncoding() {
        #expect(CampaignID(pathSegment: "cd%2D123")?.value == "cd-123")
        #expect(CampaignID(pathSegment: "%63d-1")?.value == "cd-1")
        #expect(CampaignID(pathSegment: "a%5fb")?.value == "a_b")
    }

    @Test("Ids that could alter the upstream URL, or are malformed, are rejected",
          arguments: [
              "a/b", "..", ".", "a%2Fb", "a%2fb", "a?b", "a#b", "%00", "a%00b", "", "-abc", "_abc", "%2Dabc",
              String(repeating: "x", count: 129), "a b", "a%20b", "a+b", "a.b", "a%2E%2E", "%", "a%2", "a%zz", "a%",
              "é", "a%C3%A9", "a\u{0}b", "a\nb", "a\rb", "a;b", "a&b", "a=b", "a\\b", "%252F", "a%3Fb", "a%23b",
              "cd-1/../../admin", "cd-1?campaignType=sms",
          ])
    func rejects(_ raw: String) {
        #expect(CampaignID(pathSegment: raw) == nil)
    }

    @Test("Length bound applies after decoding: 128 decoded characters pass, 129 fail")
    func lengthAfterDecoding() {
        let encoded128 = "a" + String(repeating: "%62", count: 127)
        #expect(CampaignID(pathSegment: encoded128)?.value.count == 128)
        #expect(CampaignID(pathSegment: encoded128 + "%62") == nil)
    }

    /// The router's initializer reads a segment without `%` in one pass, without decoding; it must accept and refuse
    /// exactly what decoding and then checking does (the String initializer), for every segment: the listed ones
    /// and segments generated from the bytes that matter (allowed ones, `%` and hex digits, bytes that are not).
    @Test func theRawSegmentPathAgreesWithDecodingThenChecking() {
        let alphabet = Array("aZ09_-%2fF.+/ é?#\u{0}x".utf8)
        var segments: [[UInt8]] = ["cd-2129073-58d9-44d5-a5d1-454b1220xxxx", "a", "_a", "-a", "%41", "%2D", "a%", "",
                                   String(repeating: "x", count: 128), String(repeating: "x", count: 129),
                                   "a" + String(repeating: "%62", count: 127), "é", "a\u{0}b"].map { Array($0.utf8) }
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<20_000 {
            let count = Int(generator.next() % 12)
            segments.append((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        // Long ones around the bound, with and without an escape.
        for count in [127, 128, 129] {
            for last in Array("a_-%.".utf8) { segments.append(Array(repeating: UInt8(ascii: "b"), count: count - 1) + [last]) }
        }
        var accepted = 0
        for segment in segments {
            let reference = CampaignID(pathSegment: String(decoding: segment, as: UTF8.self))
            let raw = segment.withUnsafeBytes { CampaignID(pathSegment: $0) }
            #expect(raw == reference, "\(segment)")
            if reference != nil { accepted += 1 }
        }
        // Both answers were met many times.
        #expect(accepted > 300 && accepted < segments.count - 1_000)
    }
}
