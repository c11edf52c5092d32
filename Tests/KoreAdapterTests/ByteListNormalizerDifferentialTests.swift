import JSONCore
import KoreAdapter
import TestSupport
import Testing

/// `ByteListNormalizer` against `ListNormalizer` (the reference) on Kore.ai's list samples and seeded mutations of
/// them: where the byte path answers, the body and the unknown and unreadable paths are the reference's exactly;
/// where the reference fails, the byte path declines. The samples must take the byte path, so a change to the list
/// or campaign shape made on one side only fails `listFixturesAgree`.
struct ByteListNormalizerDifferentialTests {
    static let lists: [(name: String, type: CampaignType, version: UpstreamVersion)] = [
        ("v1-voice-list", .voice, .v1), ("v2-voice-list", .voice, .v2), ("v1-sms-list", .sms, .v1), ("v2-sms-list", .sms, .v2),
    ]

    @discardableResult
    static func compare(_ body: [UInt8], _ query: CampaignListQuery, _ type: CampaignType, _ version: UpstreamVersion,
                        _ label: @autoclosure () -> String) -> Bool {
        let written = ByteListNormalizer.normalize(upstreamBody: body, query: query, type: type, version: version)
        let reference = Result { () throws(NormalizationError) in
            try ListNormalizer.normalize(upstreamBody: body, query: query, type: type, version: version)
        }
        let entry = Result { () throws(NormalizationError) in
            try CampaignAnswerNormalizer.normalizeList(upstreamBody: body, query: query, type: type, version: version)
        }
        #expect(entry == reference, "\(label()): the gateway's entry differs from the reference")
        guard let written else { return false }
        switch reference {
        case .failure(let error):
            Issue.record("\(label()): the reference fails (\(error)) but the byte path answered")
        case .success(let expected):
            if written != expected {
                Issue.record("""
                    \(label()): outputs differ
                    byte path: \(String(decoding: written.body, as: UTF8.self)) \(written.unknownFields) \(written.unreadableFields)
                    reference: \(String(decoding: expected.body, as: UTF8.self)) \(expected.unknownFields) \(expected.unreadableFields)
                    """)
            }
        }
        return true
    }

    @Test func listFixturesAgree() throws {
        for list in Self.lists {
            let body = try Fixtures.bytes(list.name)
            for (page, limit) in [(1, 20), (2, 1), (999_999_999, 100)] {
                var query = CampaignListQuery()
                query.page = page
                query.limit = limit
                #expect(Self.compare(body, query, list.type, list.version, "\(list.name) page \(page)"),
                        "\(list.name) went to the tree normalizer")
            }
            // The other type's mapper over the same results (a route of the other type): still the same bytes.
            let other: CampaignType = list.type == .voice ? .sms : .voice
            Self.compare(body, CampaignListQuery(), other, list.version, "\(list.name) as \(other)")
        }
    }

    @Test func mutatedListsAgree() throws {
        let bodies = try Self.lists.map { try Fixtures.bytes($0.name) }
        var rng = SeededGenerator(seed: 0x11_57_5EED)
        var answered = 0, referenceAnswered = 0
        let cases = 600
        for index in 0..<cases {
            let pick = rng.below(bodies.count)
            var body = bodies[pick]
            for _ in 0..<(1 + rng.below(2)) { body = UpstreamAnswerMutator.mutate(body, &rng) }
            var query = CampaignListQuery()
            query.page = [1, 2, 7][rng.below(3)]
            query.limit = 1 + rng.below(100)
            let list = Self.lists[pick]
            if Self.compare(body, query, list.type, list.version, "list mutation \(index)") { answered += 1 }
            if (try? ListNormalizer.normalize(upstreamBody: body, query: query, type: list.type, version: list.version)) != nil {
                referenceAnswered += 1
            }
        }
        #expect(answered * 5 > referenceAnswered * 2,
                "the byte path answered \(answered) of the \(referenceAnswered) list mutations the reference answered")
    }
}
