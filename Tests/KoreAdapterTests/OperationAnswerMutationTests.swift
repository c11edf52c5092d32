import JSONCore
import KoreAdapter
import TestSupport
import Testing

/// Kore.ai's sample answers for the new operations, mutated byte by byte (deterministically): the list, run-state,
/// schedule and create normalizers either answer in their shape or fail with a `NormalizationError` (the gateway's
/// 502), never crash, and give the same result twice.
struct OperationAnswerMutationTests {
    static let fixtures = ["v2-voice-list", "v2-sms-list", "v1-voice-start", "v2-sms-stop", "v2-status",
                           "v2-schedule-weekly-response", "v1-voice-create-preview"]

    /// Bytes that keep a mutation close to JSON, so it reaches past the reader into the normalizers.
    static let jsonBytes = Array("{}[]\",:0-e.ntfu\\".utf8)

    static func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        for _ in 0..<(1 + rng.below(4)) {
            guard !out.isEmpty else { break }
            let at = rng.below(out.count)
            switch rng.below(4) {
            case 0: out[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: out.remove(at: at)
            case 2: out.insert(Self.jsonBytes[rng.below(Self.jsonBytes.count)], at: at)
            default: out = Array(out.prefix(at))
            }
        }
        return out
    }

    /// Top-level keys of a successful answer, or nil for a normalization error.
    static func keys(_ body: [UInt8], fixture: String) -> [String]? {
        var query = CampaignListQuery()
        query.limit = 50
        do {
            switch fixture {
            case let name where name.hasSuffix("-list"):
                let type: CampaignType = name.contains("sms") ? .sms : .voice
                return try JSONReader.parse(ListNormalizer.normalize(upstreamBody: body, query: query, type: type, version: .v2).body).objectValue?.keys
            case "v2-schedule-weekly-response":
                return try JSONReader.parse(ScheduleTranslator.normalizedAnswer(upstreamBody: body, id: "cd-1", type: .voice, name: nil, requested: nil)).objectValue?.keys
            case "v1-voice-create-preview":
                return try JSONReader.parse(CampaignNormalizer.normalize(upstreamBody: body, operation: .create, type: .voice, version: .v1).body).objectValue?.keys
            default:
                return try JSONReader.parse(RunStateNormalizer.normalize(upstreamBody: body, operation: .start, type: .voice, id: "cd-1").body).objectValue?.keys
            }
        } catch is NormalizationError {
            return nil
        } catch {
            Issue.record("the normalizer's own output did not parse: \(error)")
            return nil
        }
    }

    @Test(arguments: fixtures)
    func mutatedAnswersNormalizeOrFailCleanly(fixture: String) throws {
        let original = try Fixtures.bytes(fixture)
        let expected = try #require(Self.keys(original, fixture: fixture), "the unmutated sample must normalize")
        var rng = SeededGenerator(seed: 0x5EED_0000 &+ UInt64(fixture.utf8.count))
        var failures = 0
        for _ in 0..<1500 {
            let body = Self.mutate(original, &rng)
            let first = Self.keys(body, fixture: fixture)
            #expect(first == Self.keys(body, fixture: fixture), "not deterministic")
            if let first { #expect(first == expected, "\(String(decoding: body, as: UTF8.self))") } else { failures += 1 }
        }
        // Most mutations break the JSON, some do not: both paths were exercised.
        #expect(failures > 0 && failures < 1500)
    }
}
