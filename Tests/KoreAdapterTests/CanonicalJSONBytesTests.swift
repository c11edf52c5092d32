import JSONCore
@testable import KoreAdapter
import Testing

/// The ETag's canonical bytes made from written JSON (`CanonicalJSONBytes`, one pass over the bytes) against the
/// reference (`CampaignETag.canonical` over the tree read back): the same bytes wherever the fast path answers, and
/// no answer where it cannot be sure (the caller then tags the tree).
@Suite struct CanonicalJSONBytesTests {
    static func reference(_ written: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        CampaignETag.canonical(try JSONReader.parse(written, maxDepth: CanonicalJSONBytes.writtenMaxDepth), into: &out)
        return out
    }

    /// A deterministic generator (xorshift), so a failure names a seed that reproduces it.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    static let keys = ["id", "name", "b", "a", "ab", "", "é", "z", "Z", "aé", "😀", "callingHours", "callingHour",
                       "extensions", "dialingStrategy", "dialingStrategyX", "0", "_", "aaaaaaaa", "aaaaaaab", "aaaaaaaa0"]
    static let scalars: [JSONValue] = [.null, .bool(true), .bool(false), .number("-1.5e3"), .number("0"), .number("42"),
                                       .string(""), .string("é\n\"\\\u{7F}\u{01}"), .string("plain text"), .string("😀/\\")]

    static func randomValue(_ g: inout Generator, depth: Int) -> JSONValue {
        switch depth > 3 ? 2 : g.next(4) {
        case 0:
            var members: [(String, JSONValue)] = []
            var used = Set<String>()
            for _ in 0..<g.next(9) {
                let key = keys[g.next(keys.count)]
                if used.insert(key).inserted { members.append((key, randomValue(&g, depth: depth + 1))) }
            }
            return .object(JSONObject(members))
        case 1:
            return .array((0..<g.next(4)).map { _ in randomValue(&g, depth: depth + 1) })
        default:
            return scalars[g.next(scalars.count)]
        }
    }

    @Test func sameBytesAsTheTreeOnGeneratedDocuments() throws {
        for seed in UInt64(1)...400 {
            var g = Generator(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
            var members: [(String, JSONValue)] = []
            var used = Set<String>()
            for _ in 0..<(1 + g.next(20)) {
                let key = Self.keys[g.next(Self.keys.count)]
                if used.insert(key).inserted { members.append((key, Self.randomValue(&g, depth: 1))) }
            }
            let written = JSONWriter.write(.object(JSONObject(members)))
            // Inside a larger body, as the campaign sits inside the envelope.
            let body = Array("{\"campaign\":".utf8) + written + Array(",\"message\":\"x\"}".utf8)
            let range = 12..<(12 + written.count)
            let fast = CanonicalJSONBytes.canonical(body, range)
            #expect(fast != nil, "seed \(seed): declined \(String(decoding: written, as: UTF8.self))")
            #expect(fast == (try Self.reference(written)), "seed \(seed): \(String(decoding: written, as: UTF8.self))")
        }
    }

    @Test func sameBytesAsTheTreeOnNormalizedFixtures() throws {
        let answers: [(String, CampaignType, UpstreamVersion, CampaignOperation)] = [
            ("v1-voice-delete", .voice, .v1, .delete), ("v2-voice-delete", .voice, .v2, .delete),
            ("v1-sms-delete", .sms, .v1, .delete), ("v2-sms-delete", .sms, .v2, .delete),
            ("v1-voice-update-response", .voice, .v1, .update), ("v2-voice-get-agentless", .voice, .v2, .update),
            ("v1-voice-create-preview", .voice, .v1, .create),
        ]
        for (name, type, version, operation) in answers {
            let answer = try #require(ByteCampaignNormalizer.normalize(upstreamBody: try Fixtures.bytes(name), operation: operation,
                                                                       type: type, version: version), "\(name)")
            let range = try #require(answer.campaignBytes)
            let written = Array(answer.body[range])
            #expect(CanonicalJSONBytes.canonical(answer.body, range) == (try Self.reference(written)), "\(name)")
            #expect(answer.entityTag == CampaignETag.tag(for: try JSONReader.parse(written)), "\(name)")
        }
    }

    @Test func declinesWhatOnlyTheTreeOrdersRight() {
        let declined = [
            #"{"b":1,"a\u0041":2}"#,      // an escaped key
            #"{"b":1,"a":2,"b":3}"#,      // a key twice, out of order
            #"{"a":1,"a":2}"#,            // a key twice, adjacent
            #"{"b":1, "a":2}"#,           // whitespace
            #"{"b":01}"#,                 // not a JSON number
            #"{"b":"\x"}"#,               // not a JSON escape
            #"{"b":tru}"#,
            #"{"b":[1,]}"#,
            #"{"b":1"#,
        ]
        for text in declined {
            let bytes = Array(text.utf8)
            #expect(CanonicalJSONBytes.canonical(bytes, 0..<bytes.count) == nil, "\(text)")
        }
        let invalidUTF8: [UInt8] = Array(#"{"b":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(CanonicalJSONBytes.canonical(invalidUTF8, 0..<invalidUTF8.count) == nil)
        // Nesting past the limit.
        let deep = Array(repeating: UInt8(ascii: "["), count: CanonicalJSONBytes.writtenMaxDepth + 1)
            + Array(repeating: UInt8(ascii: "]"), count: CanonicalJSONBytes.writtenMaxDepth + 1)
        #expect(CanonicalJSONBytes.canonical(deep, 0..<deep.count) == nil)
        // A range that is not exactly one value.
        let two = Array(#"{"a":1}{"b":2}"#.utf8)
        #expect(CanonicalJSONBytes.canonical(two, 0..<two.count) == nil)
        #expect(CanonicalJSONBytes.canonical(two, 0..<7) == Array(#"{"a":1}"#.utf8))
    }

    @Test func entityTagFallsBackToTheTreeWhenDeclined() throws {
        // An escaped key is declined by the byte path; the tag is still the tree's.
        let campaign = Array(#"{"b\u00e9":1,"a":{"d":2,"c":3}}"#.utf8)
        let body = Array(#"{"campaign":"#.utf8) + campaign + Array("}".utf8)
        let answer = NormalizedResponse(body: body, campaignName: nil, unknownFields: [], unreadableFields: [],
                                        recordType: nil, campaignID: nil, campaignBytes: 12..<(12 + campaign.count))
        #expect(answer.entityTag == CampaignETag.tag(for: try JSONReader.parse(campaign)))
    }
}
