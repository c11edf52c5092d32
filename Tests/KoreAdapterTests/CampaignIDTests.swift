import KoreAdapter
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
}
