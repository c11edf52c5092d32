import Foundation
import JSONCore
import KoreAdapter
import TestSupport
import Testing

/// The byte-to-byte normalizer against the tree normalizer (the reference) on every fixture, every seed of the
/// normalizer fuzz targets and a few thousand seeded mutations: where the byte path answers, the answer must be the
/// reference's exactly (body bytes, name, id, record type, unknown and unreadable paths, entity tag); where the
/// reference fails, the byte path must not answer (the gateway then runs the reference, so errors are its errors).
///
/// How a one-sided change fails here: `fixturesTakeTheBytePath` requires Kore.ai's sample answers to be written by
/// the byte path, so they are compared in `fixturesAgree` rather than skipped. Changing the normalized shape (a key,
/// its place, a value's spelling, a message, an `extensions` path) in `UpstreamCampaignMapper` alone, or in
/// `ByteNormalizer/` alone, changes one side's bytes for those answers and fails the comparison.
struct ByteNormalizerDifferentialTests {
    static let fixtureNames = [
        "v1-voice-delete", "v2-voice-delete", "v1-sms-delete", "v2-sms-delete", "v1-voice-update-response",
        "v2-voice-get-agentless", "v1-voice-create-preview", "v1-voice-start", "v2-sms-stop", "v2-status",
        "v1-voice-list", "v2-voice-list", "v1-sms-list", "v2-sms-list", "v2-schedule-weekly-response",
        "v1-voice-update-request", "v2-schedule-weekly-request",
    ]
    /// Single-campaign operations (they differ in the default message); `get` is declined by the byte path (its
    /// `notWritableAsRead` needs the tree), which `getIsDeclined` checks once.
    static let operations: [CampaignOperation] = [.delete, .update, .create, .stop]

    /// Compares one input; returns whether the byte path answered.
    @discardableResult
    static func compare(_ body: [UInt8], _ operation: CampaignOperation, _ type: CampaignType, _ version: UpstreamVersion,
                        _ label: @autoclosure () -> String) -> Bool {
        let written = ByteCampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version)
        let reference: Result<NormalizedResponse, NormalizationError>
        do {
            reference = .success(try CampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version))
        } catch {
            reference = .failure(error)
        }
        guard let written else { return false }
        switch reference {
        case .failure(let error):
            Issue.record("\(label()): the reference fails (\(error)) but the byte path answered \(String(decoding: written.body, as: UTF8.self))")
        case .success(let expected):
            if written.body != expected.body {
                Issue.record("""
                    \(label()): bodies differ
                    byte path: \(String(decoding: written.body, as: UTF8.self))
                    reference: \(String(decoding: expected.body, as: UTF8.self))
                    input: \(String(decoding: body, as: UTF8.self))
                    """)
            }
            #expect(written.campaignName == expected.campaignName, "\(label()): campaignName")
            #expect(written.campaignID == expected.campaignID, "\(label()): campaignID")
            #expect(written.recordType == expected.recordType, "\(label()): recordType")
            #expect(written.unknownFields == expected.unknownFields, "\(label()): unknownFields")
            #expect(written.unreadableFields == expected.unreadableFields, "\(label()): unreadableFields")
            #expect(written.entityTag == expected.entityTag, "\(label()): entity tag")
        }
        // The gateway's entry gives the reference's result, error included.
        let entry = Result { () throws(NormalizationError) in
            try CampaignAnswerNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version)
        }
        #expect(entry.map(\.body) == reference.map(\.body), "\(label()): the gateway's entry differs from the reference")
        return true
    }

    @Test func fixturesTakeTheBytePath() throws {
        let campaignAnswers: [(String, CampaignType, UpstreamVersion, CampaignOperation)] = [
            ("v1-voice-delete", .voice, .v1, .delete), ("v2-voice-delete", .voice, .v2, .delete),
            ("v1-sms-delete", .sms, .v1, .delete), ("v2-sms-delete", .sms, .v2, .delete),
            ("v1-voice-update-response", .voice, .v1, .update), ("v2-voice-get-agentless", .voice, .v2, .update),
            ("v1-voice-create-preview", .voice, .v1, .create),
        ]
        for (name, type, version, operation) in campaignAnswers {
            let body = try Fixtures.bytes(name)
            #expect(ByteCampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version) != nil,
                    "\(name) went to the tree normalizer")
            // Compact, as Kore.ai's services send it, too.
            let compact = JSONWriter.write(try JSONReader.parse(body))
            #expect(ByteCampaignNormalizer.normalize(upstreamBody: compact, operation: operation, type: type, version: version) != nil,
                    "\(name), compact, went to the tree normalizer")
        }
    }

    @Test func getIsDeclined() throws {
        let body = try Fixtures.bytes("v2-voice-get-agentless")
        #expect(ByteCampaignNormalizer.normalize(upstreamBody: body, operation: .get, type: .voice, version: .v2) == nil)
        let entry = try CampaignAnswerNormalizer.normalize(upstreamBody: body, operation: .get, type: .voice, version: .v2)
        let reference = try CampaignNormalizer.normalize(upstreamBody: body, operation: .get, type: .voice, version: .v2)
        #expect(entry == reference)
    }

    @Test func fixturesAgree() throws {
        var answered = 0
        for name in Self.fixtureNames {
            let body = try Fixtures.bytes(name)
            for operation in Self.operations {
                for type in CampaignType.allCases {
                    for version in UpstreamVersion.allCases
                    where Self.compare(body, operation, type, version, "\(name) \(operation) \(type) \(version)") {
                        answered += 1
                    }
                }
            }
        }
        #expect(answered >= 40, "only \(answered) fixture cases took the byte path")
    }

    /// The committed seeds of both normalizer fuzz targets, their first byte read as each target reads it.
    @Test func fuzzSeedsAgree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var seen = 0
        for target in ["kore-normalizer", "kore-normalizer-differential"] {
            let directory = root.appendingPathComponent("fuzz/corpus/\(target)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            for file in files {
                let data = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
                guard let first = data.first else { continue }
                let selector = Int(first)
                let operation: CampaignOperation, type: CampaignType, version: UpstreamVersion
                if target == "kore-normalizer" {
                    operation = [CampaignOperation.delete, .update, .get][selector % 3]
                    type = CampaignType.allCases[(selector / 3) % 2]
                    version = UpstreamVersion.allCases[(selector / 6) % 2]
                } else {
                    guard selector & 0x10 == 0 else { continue }  // a list seed: ByteListNormalizerDifferentialTests
                    operation = [CampaignOperation.delete, .update, .create, .stop][selector % 4]
                    type = CampaignType.allCases[(selector / 4) % 2]
                    version = UpstreamVersion.allCases[(selector / 8) % 2]
                }
                Self.compare(Array(data.dropFirst()), operation, type, version, "\(target)/\(file)")
                seen += 1
            }
        }
        #expect(seen >= 60, "only \(seen) seeds found under fuzz/corpus")
    }

    /// An envelope member nested to the reader's depth limit comes out a level deeper under `extensions`: the entity
    /// tag of the written campaign must still be the tree's (the fuzz target found it was not, when the written
    /// bytes were re-read at the input's limit).
    @Test func deepExtensionsKeepTheirTag() {
        for depth in [61, 62, 63] {
            let nested = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
            let body = Array("{\"extra\":\(nested),\"data\":{\"_id\":\"cd-1\",\"name\":\"Deep\"}}".utf8)
            #expect(Self.compare(body, .update, .voice, .v2, "depth \(depth)"), "depth \(depth) went to the tree")
        }
    }

    /// Answers whose normalized form is many times their length (every absent field written as null, a leftover's
    /// path longer than its value) outgrow the output's first estimate: the grown answer must still be the reference's.
    @Test func answersLongerThanTheEstimateAgree() {
        var days = (0..<200).map { _ in "1" }.joined(separator: ",")
        days = "{\"data\":{\"_id\":\"x\",\"dialingStrategy\":{\"callingHours\":{\"days\":[\(days)]}}}}"
        for body in ["{\"_id\":\"x\"}", "{}", days] {
            #expect(Self.compare(Array(body.utf8), .update, .voice, .v2, body), "\(body.prefix(60)) went to the tree")
        }
    }

    /// Days as Kore.ai sends them take a shortcut (three string members read straight from the tape); every near
    /// miss must take the general path and still agree: other orders, a member missing, twice, extra or not a string.
    @Test func daysNearTheUsualShapeAgree() {
        let days = [
            #"{"day":"MO","start":"9:00 AM","end":"6:00 PM"}"#, #"{"end":"6:00 PM","day":"TU","start":"9:00 am"}"#,
            #"{"day":"WE","start":"9:00 AM"}"#, #"{"day":"TH","start":"9:00 AM","end":"6:00 PM","day":"FR"}"#,
            #"{"day":"FR","start":"9:00 AM","end":"6:00 PM","note":"x"}"#, #"{"day":null,"start":"9:00 AM","end":"6:00 PM"}"#,
            #"{"day":"SA","start":900,"end":"6:00 PM"}"#, #"{"dax":"SU","start":"9:00 AM","end":"6:00 PM"}"#,
            #"{"day":"MO","start":"25:00 AM","end":"6:00 PM"}"#, #"{}"#, #"{"day":"MO","stars":"9:00 AM","end":"6:00 PM"}"#,
        ]
        for (index, day) in days.enumerated() {
            for list in ["[\(day)]", "[\(days[0]),\(day),\(days[1])]"] {
                let body = "{\"data\":{\"_id\":\"x\",\"dialingStrategy\":{\"callingHours\":{\"days\":\(list)}}}}"
                Self.compare(Array(body.utf8), .delete, .voice, .v2, "day \(index): \(list)")
            }
        }
        // The usual shape itself takes the byte path.
        let usual = "{\"data\":{\"_id\":\"x\",\"dialingStrategy\":{\"callingHours\":{\"days\":[\(days[0]),\(days[1])]}}}}"
        #expect(Self.compare(Array(usual.utf8), .delete, .voice, .v2, "usual days"))
    }

    @Test func mutatedAnswersAgree() throws {
        let sources = ["v1-voice-delete", "v2-voice-delete", "v1-sms-delete", "v2-sms-delete", "v1-voice-update-response",
                       "v2-voice-get-agentless", "v1-voice-create-preview"]
        let bodies = try sources.map(Fixtures.bytes)
        var rng = SeededGenerator(seed: 0xB17E_5EED)
        var answered = 0, referenceAnswered = 0
        let cases = 2000
        for index in 0..<cases {
            var body = bodies[rng.below(bodies.count)]
            for _ in 0..<(1 + rng.below(2)) { body = UpstreamAnswerMutator.mutate(body, &rng) }
            let operation = Self.operations[rng.below(Self.operations.count)]
            let type = CampaignType.allCases[rng.below(2)]
            let version = UpstreamVersion.allCases[rng.below(2)]
            if Self.compare(body, operation, type, version, "mutation \(index) \(operation) \(type) \(version)") { answered += 1 }
            if (try? CampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version)) != nil {
                referenceAnswered += 1
            }
        }
        // Many mutations the reference answers stay within what the byte path handles; the rest (keys twice, dotted
        // keys, escaped enum spellings) exercise the hand-over. A generator that broke every input would compare
        // nothing.
        #expect(answered * 5 > referenceAnswered * 2,
                "the byte path answered \(answered) of the \(referenceAnswered) mutations the reference answered (of \(cases))")
    }
}
