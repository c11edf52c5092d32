import JSONCore
import KoreAdapter
import Testing

/// Normalized write bodies to Kore.ai's bodies, including the seed 004 round trip.
struct CampaignWriteTranslatorTests {
    /// Seed 004: normalizing the update response and translating it back yields the seed's request body, modulo
    /// three documented differences between what the page sends and what it answers:
    /// - `queue_name` is not echoed by Kore.ai, so the normalized campaign has `queueName: null` and a
    ///   PUT must supply it again;
    /// - the page's response shows `+1123456789` where its request sent `+18123456789` (a doc defect);
    /// - the response carries `isRecurrenceEnabled: false`, which the request omitted; the gateway sends what it read.
    @Test("Seed 004: response -> normalized -> Kore.ai body equals the seed request (modulo documented choices)")
    func seed004RoundTrip() throws {
        var campaign = try CampaignNormalizer.campaign(fromUpstream: try Fixtures.bytes("v1-voice-update-response"),
                                                       type: .voice, version: .v1)
        campaign = campaign.setting("voice.queueName", to: .string("Default Queue"))
        campaign = campaign.setting("callerId", to: .string("+18123456789"))
        let body = try CampaignWriteTranslator.upstreamBody(fromNormalized: campaign, type: .voice, version: .v1).get()

        var expected = try Fixtures.json("v1-voice-update-request")
        expected = expected.setting("schedule.isRecurrenceEnabled", to: .bool(false))
        let actual = try JSONReader.parse(body)
        #expect(JSONCompare.differences(actual, expected) == [])
        #expect(actual == expected, "member order should follow Kore.ai's sample")
    }

    @Test("The seed request itself, read as a normalized campaign's upstream, survives a full round trip")
    func seedRequestRoundTrip() throws {
        // Treat the seed request as a stored record: normalize it, write it back, compare.
        let request = try Fixtures.json("v1-voice-update-request")
        let stored: JSONValue = .object(["status": .string("success"), "data": request.setting("_id", to: .string("cd-1"))])
        let campaign = try CampaignNormalizer.campaign(fromUpstream: stored.bytes, type: .voice, version: .v1)
        #expect(campaign["voice"]?["queueName"] == .string("Default Queue"))
        #expect(campaign["extensions"] == .object(JSONObject()))
        let body = try CampaignWriteTranslator.upstreamBody(fromNormalized: campaign, type: .voice, version: .v1).get()
        #expect(try JSONReader.parse(body) == request)
    }

    /// Every seed campaign, once made writable, survives translate -> (Kore.ai stores it) -> normalize unchanged in
    /// every writable field: the read and write mappings are inverses.
    @Test("Write then read gives back the writable fields", arguments: Fixtures.seedResponses)
    func writeReadInverse(_ seed: Fixtures.SeedResponse) throws {
        var campaign = try CampaignNormalizer.campaign(fromUpstream: try Fixtures.bytes(seed.name), type: seed.type,
                                                       version: seed.version)
        // Make the samples' redacted phone numbers valid, and supply what reads cannot show.
        campaign = campaign.setting("callerId", to: .string("+918123456789"))
        if seed.type == .voice {
            campaign = campaign.setting("voice.queueName", to: .string("Default Queue"))
            if campaign["voice"]?["maxSkips"] == .null { campaign = campaign.setting("voice.maxSkips", to: .int(2)) }
            if campaign["voice"]?["machineDetection"] == .null { campaign = campaign.setting("voice.machineDetection", to: .string("off")) }
        } else {
            campaign = campaign.setting("sms.text", to: .string("Grüße, <First Name>! ✓"))
        }
        let body = try CampaignWriteTranslator.upstreamBody(fromNormalized: campaign, type: seed.type, version: seed.version).get()
        let stored = try JSONReader.parse(body).setting("_id", to: campaign["id"])
        let reread = try CampaignNormalizer.campaign(fromUpstream: JSONValue.object(["data": stored]).bytes,
                                                     type: seed.type, version: seed.version)
        for key in ["name", "description", "contactLists", "dncList", "priority", "callerId", "callingHours", "schedule"] {
            #expect(reread[key] == campaign[key], "\(key)")
        }
        let section = seed.type.rawValue
        let v2Agentful = seed.version == .v2 && campaign["voice"]?["dialingMode"] != .string("agentless")
        for (key, value) in campaign[section]?.objectValue ?? JSONObject() where key != "experienceFlowId" {
            if key == "machineDetection" && v2Agentful {
                // v2 progressive/preview send nothing and answer nothing: "off" reads back as null.
                #expect(reread[section]?[key] == .null)
            } else {
                #expect(reread[section]?[key] == value, "\(section).\(key)")
            }
        }
    }

    @Test("v2 voice: dncLists, Kore.ai casing, times back to 12-hour, priority as a string, campaignType in the body")
    func v2Voice() throws {
        let body = try JSONReader.parse(try CampaignWriteTranslator.upstreamBody(fromNormalized: WriteBodies.voice(),
                                                                                 type: .voice, version: .v2).get())
        #expect(body["dncLists"] == .object(["id": .string("cl-1"), "name": .string("DNC CL Dec 4")]))
        #expect(body["priority"] == .string("5"))
        #expect(body["dialingMode"] == .string("Preview"))
        #expect(body["dialingStrategy"]?["dialingOrder"] == .string("FIFO"))
        #expect(body["dialingStrategy"]?["callingHours"]?["frequency"] == .string("WEEKLY"))
        #expect(body["dialingStrategy"]?["callingHours"]?["days"]?.arrayValue?[2] ==
                .object(["day": .string("WE"), "start": .string("12:00 AM"), "end": .string("11:59 PM")]))
        #expect(body["dialingStrategy"]?["defaultRetryPeriod"] == .int(10))
        #expect(body["dialingStrategy"]?["maxRingTime"] == .int(30))
        #expect(body["enableMachineDetect"] == nil, "v2 preview sends no machine detection")
        #expect(body["queue_name"] == .string("Default Queue"))
        #expect(body["campaignType"] == .string("voice"))
    }

    @Test("Machine detection per version and mode")
    func machineDetection() throws {
        func sent(_ setting: JSONValue?, mode: String, _ version: UpstreamVersion,
                  purpose: CampaignWriteTranslator.Purpose = .update) throws -> JSONValue? {
            var body = WriteBodies.voice(version: version).setting("voice.dialingMode", to: .string(mode))
            body = body.setting("voice.machineDetection", to: setting).setting("voice.experienceFlowName", to: .string("Flow"))
            let upstream = try CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: .voice, version: version,
                                                                    purpose: purpose).get()
            return try JSONReader.parse(upstream)["enableMachineDetect"]
        }
        #expect(try sent(.string("off"), mode: "preview", .v1) == .bool(false))
        #expect(try sent(.string("detect"), mode: "agentless", .v1) == .bool(true))
        #expect(try sent(nil, mode: "progressive", .v1) == .bool(false))
        #expect(try sent(.string("off"), mode: "agentless", .v2) == .string("no"))
        #expect(try sent(.string("detect"), mode: "agentless", .v2) == .string("detect"))
        #expect(try sent(.string("disconnect"), mode: "agentless", .v2) == .string("disconnect"))
        // v2 never shows the setting on a read: null keeps Kore.ai's on an update, and means off on a create.
        #expect(try sent(.null, mode: "agentless", .v2) == nil)
        #expect(try sent(.null, mode: "agentless", .v2, purpose: .create) == .string("no"))
        #expect(try sent(.null, mode: "preview", .v1) == .bool(false))
        #expect(try sent(.string("off"), mode: "progressive", .v2) == nil)
    }

    @Test("SMS: text is Base64 for both versions, template to templateId/template_name",
          arguments: UpstreamVersion.allCases)
    func sms(_ version: UpstreamVersion) throws {
        let body = try JSONReader.parse(try CampaignWriteTranslator.upstreamBody(fromNormalized: WriteBodies.sms(),
                                                                                 type: .sms, version: version).get())
        #expect(body["message"] == .object([
            "message": .string("SGkgPEZpcnN0IE5hbWU+LCB5b3VyIGJpbGwgaXMgZHVlLg=="),
            "templateId": .string("cmt-1"), "template_name": .string("Welcome"),
        ]))
        #expect(body["format"] == .string("simple"))
        #expect(body["campaignType"] == .string("sms"))
        #expect(body["dncLists"] == nil)
        #expect(body["dialingStrategy"]?["callingHours"]?["days"] ==
                .array([.object(["day": .string("SA"), "start": .string("10:30 AM"), "end": .string("12:00 PM")])]))
        #expect(body["schedule"] == .object(["isSchedulingEnabled": .bool(false)]))
        #expect(body["dialingStrategy"]?["dialingOrder"] == nil)
    }

    @Test("Read-only fields are ignored, so GET, edit, PUT works")
    func readOnlyIgnored() throws {
        var body = WriteBodies.voice()
        for (key, value) in [("id", JSONValue.string("cd-1")), ("type", .string("sms")), ("status", .string("ready")),
                             ("createdAt", .string("x")), ("updatedAt", .null), ("instanceId", .null),
                             ("filtersEnabled", .bool(true)), ("imported", .bool(false)),
                             ("extensions", .object(["foo": .int(1)]))] {
            body = body.setting([key], to: value)
        }
        let withReadOnly = try CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: .voice, version: .v2).get()
        let without = try CampaignWriteTranslator.upstreamBody(fromNormalized: WriteBodies.voice(), type: .voice, version: .v2).get()
        #expect(withReadOnly == without)
    }
}
