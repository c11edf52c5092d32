import JSONCore
import KoreAdapter
import Testing

/// What a read shows is what a write takes: the queue from `connection`, "no DNC list" with the same meaning on both
/// versions, and a read that says which of its values cannot be PUT back as they are.
struct ReadWriteSymmetryTests {
    static func campaign(_ record: String, _ type: CampaignType = .voice, _ version: UpstreamVersion = .v2) throws -> JSONValue {
        try CampaignNormalizer.campaign(fromUpstream: Array(#"{"status":"success","data":\#(record)}"#.utf8), type: type, version: version)
    }

    @Test("connection is the queue (the flow's name for agentless); a null connection is known and says nothing")
    func connection() throws {
        let queued = try Self.campaign(#"{"_id":"cd-1","dialingMode":"Progressive","connection":"Default Queue"}"#)
        #expect(queued["voice"]?["queueName"] == .string("Default Queue"))
        #expect(queued["extensions"] == .object(JSONObject()))
        let agentless = try Self.campaign(#"{"_id":"cd-1","dialingMode":"Agentless","connection":"Voice Flow 2","experienceFlow":"cf-9"}"#)
        #expect(agentless["voice"]?["experienceFlowName"] == .string("Voice Flow 2"))
        #expect(agentless["voice"]?["experienceFlowId"] == .string("cf-9"))
        #expect(agentless["voice"]?["queueName"] == .null)
        let silent = try CampaignNormalizer.normalize(upstreamBody: Array(#"{"data":{"_id":"cd-1","dialingMode":"Preview","connection":null}}"#.utf8),
                                                      operation: .get, type: .voice, version: .v1)
        #expect(silent.unknownFields == [])
        #expect(try JSONReader.parse(silent.body)["campaign"]?["extensions"] == .object(JSONObject()))
        // A record's own queue_name wins; a connection that disagrees is kept, not lost.
        let both = try Self.campaign(#"{"_id":"cd-1","dialingMode":"Preview","queue_name":"Sales","connection":"Support"}"#)
        #expect(both["voice"]?["queueName"] == .string("Sales"))
        #expect(both["extensions"]?["connection"] == .string("Support"))
    }

    @Test("No DNC list: null on reads from either version, [] to v2 voice, nothing to v2 SMS and to v1")
    func noDNCList() throws {
        #expect(try Self.campaign(#"{"_id":"cd-1","dncLists":[]}"#)["dncList"] == .null)
        #expect(try Self.campaign(#"{"_id":"cd-1","dncLists":[]}"#)["extensions"] == .object(JSONObject()))
        func sent(_ body: JSONValue, _ type: CampaignType, _ version: UpstreamVersion) throws -> JSONValue? {
            try JSONReader.parse(try CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: type, version: version).get())["dncLists"]
        }
        let voice = WriteBodies.voice().setting("dncList", to: .null)
        #expect(try sent(voice, .voice, .v2) == .array([]))
        #expect(try sent(voice, .voice, .v1) == nil)
        #expect(try sent(voice.setting("dncList", to: nil), .voice, .v2) == .array([]))
        #expect(try sent(WriteBodies.sms(), .sms, .v2) == nil)
        #expect(try sent(WriteBodies.sms(), .sms, .v1) == nil)
    }

    @Test("One body for both versions: accepted by v1 and v2 wherever both support its fields")
    func oneBodyForBothVersions() throws {
        var bodies: [(String, JSONValue, CampaignType)] = []
        for mode in ["agentless", "progressive", "preview"] {
            var body = WriteBodies.voice(version: .v1).setting("voice.dialingMode", to: .string(mode))
            if mode == "agentless" { body = body.setting("voice.experienceFlowName", to: .string("Voice Flow 2")) }
            bodies.append((mode, body, .voice))
            bodies.append((mode + " with useSystemMappings false", body.setting("voice.useSystemMappings", to: .bool(false)), .voice))
            bodies.append((mode + " without a queue (kept)", body.setting("voice.queueName", to: .null), .voice))
        }
        bodies.append(("sms template", WriteBodies.sms(), .sms))
        bodies.append(("sms simple", WriteBodies.sms().setting("sms.template", to: .null), .sms))
        bodies.append(("sms advanced", WriteBodies.sms().setting("sms", to: .object([
            "format": .string("advanced"), "experienceFlowName": .string("SMS Flow"), "template": .null, "text": .null,
        ])), .sms))
        for (name, body, type) in bodies {
            for version in UpstreamVersion.allCases {
                for purpose in [CampaignWriteTranslator.Purpose.update, .create] where !(purpose == .create && name.hasSuffix("(kept)")) {
                    #expect(writeErrors(body, type, version, purpose: purpose) == [], "\(name) on \(version) (\(purpose))")
                }
            }
        }
        // Only what a version cannot do is refused, and only there.
        let dnc = WriteBodies.voice()
        #expect(writeErrors(dnc, .voice, .v2) == [])
        #expect(writeErrors(dnc, .voice, .v1).map(\.field) == ["dncList"])
        let disconnect = WriteBodies.voice(version: .v1).setting("voice.dialingMode", to: .string("agentless"))
            .setting("voice.machineDetection", to: .string("disconnect"))
        #expect(writeErrors(disconnect, .voice, .v2) == [])
        #expect(writeErrors(disconnect, .voice, .v1).map(\.field) == ["voice.machineDetection"])
    }

    @Test("A read says which of its values cannot be PUT back as they are", arguments: Fixtures.seedResponses)
    func notWritableAsRead(_ seed: Fixtures.SeedResponse) throws {
        let response = try CampaignNormalizer.normalize(upstreamBody: try Fixtures.bytes(seed.name), operation: .get,
                                                        type: seed.type, version: seed.version)
        let envelope = try JSONReader.parse(response.body)
        #expect(envelope.objectValue?.keys == ["campaign", "message", "notWritableAsRead"])
        let listed = (envelope["notWritableAsRead"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }
        // Kore.ai's v2 pages redact phone numbers (`+181633xxxxx`), and seed 003's text is not Base64 of UTF-8.
        let expected: [String: [String]] = ["v2-voice-delete": ["callerId"], "v2-sms-delete": ["callerId", "sms.text"]]
        #expect(listed == expected[seed.name] ?? [], "\(envelope["notWritableAsRead"].map { JSONWriter.string($0) } ?? "")")
        // What the read lists is exactly what the PUT of that campaign refuses (sms.text is accepted, but empty).
        let put = writeErrors(response.campaign, seed.type, seed.version).map(\.field)
        #expect(put == listed.filter { $0 != "sms.text" })
        // Other answers carry no such list.
        let deleted = try JSONReader.parse(try CampaignNormalizer.normalize(upstreamBody: try Fixtures.bytes(seed.name), operation: .delete,
                                                                           type: seed.type, version: seed.version).body)
        #expect(deleted.objectValue?.keys == ["campaign", "message"])
    }

    /// Every Kore.ai sample body the fixtures hold, with the normalizer that reads it.
    static let samples: [(name: String, read: @Sendable () throws -> [String])] = [
        ("v1-voice-delete", { try campaignUnknowns("v1-voice-delete", .voice, .v1, .delete) }),
        ("v2-voice-delete", { try campaignUnknowns("v2-voice-delete", .voice, .v2, .delete) }),
        ("v1-sms-delete", { try campaignUnknowns("v1-sms-delete", .sms, .v1, .delete) }),
        ("v2-sms-delete", { try campaignUnknowns("v2-sms-delete", .sms, .v2, .delete) }),
        ("v1-voice-update-response", { try campaignUnknowns("v1-voice-update-response", .voice, .v1, .update) }),
        ("v1-voice-create-preview", { try campaignUnknowns("v1-voice-create-preview", .voice, .v1, .create) }),
        ("v2-voice-get-agentless", { try campaignUnknowns("v2-voice-get-agentless", .voice, .v2, .get) }),
        ("v1-voice-update-request as a stored record", {
            let record = try Fixtures.json("v1-voice-update-request")
            let body = JSONValue.object(["status": .string("success"), "data": record]).bytes
            return try CampaignNormalizer.normalize(upstreamBody: body, operation: .get, type: .voice, version: .v1).unknownFields
        }),
        ("v1-voice-list", { try listUnknowns("v1-voice-list", .voice, .v1) }),
        ("v2-voice-list", { try listUnknowns("v2-voice-list", .voice, .v2) }),
        ("v1-sms-list", { try listUnknowns("v1-sms-list", .sms, .v1) }),
        ("v2-sms-list", { try listUnknowns("v2-sms-list", .sms, .v2) }),
        ("v1-voice-start", { try RunStateNormalizer.normalize(upstreamBody: try Fixtures.bytes("v1-voice-start"), operation: .start, type: .voice, id: "cd-1").unknownFields }),
        ("v2-sms-stop", { try RunStateNormalizer.normalize(upstreamBody: try Fixtures.bytes("v2-sms-stop"), operation: .stop, type: .sms, id: "cd-1").unknownFields }),
        ("v2-status", { try RunStateNormalizer.normalize(upstreamBody: try Fixtures.bytes("v2-status"), operation: .status, type: .voice, id: "cd-1").unknownFields }),
    ]

    static func campaignUnknowns(_ name: String, _ type: CampaignType, _ version: UpstreamVersion,
                                 _ operation: CampaignOperation) throws -> [String] {
        try CampaignNormalizer.normalize(upstreamBody: try Fixtures.bytes(name), operation: operation, type: type, version: version).unknownFields
    }

    static func listUnknowns(_ name: String, _ type: CampaignType, _ version: UpstreamVersion) throws -> [String] {
        try ListNormalizer.normalize(upstreamBody: try Fixtures.bytes(name), query: CampaignListQuery(), type: type, version: version).unknownFields
    }

    @Test("Every field of every Kore.ai sample is known: nothing in them counts as drift",
          arguments: samples.map(\.name))
    func everySampleFieldIsKnown(_ name: String) throws {
        let read = try #require(Self.samples.first { $0.name == name }?.read)
        #expect(try read() == [])
    }
}
