import JSONCore
import KoreAdapter
import Testing

/// Every seed sample body normalizes to the hand-written expected campaign (docs/KORE-MAPPING.md's shape), key order
/// included: the normalized shape promises the same keys in the same order for every campaign of a type.
struct CampaignNormalizerTests {
    @Test("Seed bodies normalize to the expected campaigns", arguments: Fixtures.seedResponses)
    func seedBodies(_ seed: Fixtures.SeedResponse) throws {
        let campaign = try CampaignNormalizer.campaign(fromUpstream: try Fixtures.bytes(seed.name), type: seed.type,
                                                       version: seed.version)
        let expected = try Fixtures.json("expected-" + seed.name)
        #expect(JSONCompare.differences(campaign, expected) == [])
        #expect(campaign == expected, "member order differs")
    }

    @Test("The envelope carries Kore.ai's message, and the drift report matches extensions", arguments: Fixtures.seedResponses)
    func envelope(_ seed: Fixtures.SeedResponse) throws {
        let upstream = try Fixtures.bytes(seed.name)
        let response = try CampaignNormalizer.normalize(upstreamBody: upstream, operation: seed.operation,
                                                        type: seed.type, version: seed.version)
        let envelope = try JSONReader.parse(response.body)
        #expect(envelope.objectValue?.keys == ["campaign", "message"])
        #expect(envelope["message"] == (try JSONReader.parse(upstream))["message"])
        #expect(response.campaignName == envelope["campaign"]?["name"]?.stringValue)
        #expect(response.unknownFields + response.unreadableFields == envelope["campaign"]?["extensions"]?.objectValue?.keys)
    }

    @Test("Every campaign of a type has the same keys, whatever the version")
    func consistentKeys() throws {
        func keys(_ name: String, _ type: CampaignType, _ version: UpstreamVersion) throws -> [[String]] {
            let c = try CampaignNormalizer.campaign(fromUpstream: try Fixtures.bytes(name), type: type, version: version)
            return [c.objectValue?.keys ?? [], c[type.rawValue]?.objectValue?.keys ?? []]
        }
        #expect(try keys("v1-voice-delete", .voice, .v1) == keys("v2-voice-delete", .voice, .v2))
        #expect(try keys("v1-voice-delete", .voice, .v1) == keys("v1-voice-update-response", .voice, .v1))
        #expect(try keys("v1-sms-delete", .sms, .v1) == keys("v2-sms-delete", .sms, .v2))
    }

    @Test("Without an upstream message the gateway writes its own")
    func defaultMessage() throws {
        let body = Array(#"{"status":"success","data":{"_id":"cd-1","name":"Spring","priority":"2"}}"#.utf8)
        let deleted = try CampaignNormalizer.normalize(upstreamBody: body, operation: .delete, type: .voice, version: .v2)
        #expect(try JSONReader.parse(deleted.body)["message"] == .string("Campaign Spring deleted"))
        let updated = try CampaignNormalizer.normalize(upstreamBody: body, operation: .update, type: .voice, version: .v2)
        #expect(try JSONReader.parse(updated.body)["message"] == .string("Campaign Spring updated"))
        let nameless = Array(#"{"status":"success","message":"","data":{"_id":"cd-1"}}"#.utf8)
        let fallback = try CampaignNormalizer.normalize(upstreamBody: nameless, operation: .delete, type: .sms, version: .v1)
        #expect(try JSONReader.parse(fallback.body)["message"] == .string("Campaign cd-1 deleted"))
    }

    @Test("SMS text is Base64-decoded; v1 plain text passes; percent-encoded padding is tolerated")
    func smsText() throws {
        func text(_ message: String, _ version: UpstreamVersion) throws -> JSONValue? {
            let body = #"{"status":"success","data":{"_id":"cd-1","message":{"message":"\#(message)"}}}"#
            return try CampaignNormalizer.campaign(fromUpstream: Array(body.utf8), type: .sms, version: version)["sms"]?["text"]
        }
        #expect(try text("SGVsbG8sIHfDtnJsZCE=", .v2) == .string("Hello, wörld!"))
        #expect(try text("SGVsbG8sIHfDtnJsZCE=", .v1) == .string("Hello, wörld!"))
        #expect(try text("SGk%3D", .v2) == .string("Hi"))
        #expect(try text("Hello there", .v1) == .string("Hello there"))
        #expect(try text("Hello there", .v2) == .null)
        #expect(try text("", .v2) == .string(""))
    }

    @Test("Unknown and uninterpretable upstream fields are kept under extensions with their path")
    func drift() throws {
        let body = #"""
        {"status":"success","requestId":"r-1","data":{"_id":"cd-9","priority":"high","newThing":{"a":1},
         "dialingStrategy":{"callerId":{"phoneNumber":"+1555","ext":"12"},"callingHours":{"days":[{"day":"MO","start":"9:00 AM","end":"25:00 PM","tz":"x"},7]},"pacing":2},
         "enableMachineDetect":"maybe","schedule":{"isSchedulingEnabled":true,"startDate":"2026-01-01"}}}
        """#
        let response = try CampaignNormalizer.normalize(upstreamBody: Array(body.utf8), operation: .get, type: .voice, version: .v2)
        let campaign = try #require(try JSONReader.parse(response.body)["campaign"])
        #expect(campaign["priority"] == .null)
        #expect(campaign["voice"]?["machineDetection"] == .null)
        #expect(campaign["callingHours"]?["days"] == .array([.object(["day": .string("MO"), "start": .string("09:00"), "end": .string("25:00 PM")])]))
        // Members nobody knows are drift; known members with a value that cannot be read are reported apart.
        #expect(Set(response.unknownFields) == [
            "newThing", "dialingStrategy.callerId.ext", "dialingStrategy.callingHours.days[0].tz",
            "dialingStrategy.pacing", "schedule.startDate", "envelope.requestId",
        ])
        #expect(Set(response.unreadableFields) == ["priority", "dialingStrategy.callingHours.days[1]", "enableMachineDetect"])
        #expect(campaign["extensions"]?["priority"] == .string("high"))
        #expect(campaign["extensions"]?["schedule.startDate"] == .string("2026-01-01"))
        #expect(campaign["message"] == nil)
    }

    @Test("Ids come from _id, data.id, the top-level id or campId")
    func idSources() throws {
        for (body, expected) in [
            (#"{"status":"success","data":{"_id":"cd-a"}}"#, "cd-a"),
            (#"{"status":"success","data":{"id":"cd-b"}}"#, "cd-b"),
            (#"{"status":"success","id":"cd-c","data":{}}"#, "cd-c"),
            (#"{"status":"success","data":{"campId":"cd-d"}}"#, "cd-d"),
            (#"{"_id":"cd-e","name":"flat record","status":"Active"}"#, "cd-e"),
        ] {
            let campaign = try CampaignNormalizer.campaign(fromUpstream: Array(body.utf8), type: .voice, version: .v1)
            #expect(campaign["id"] == .string(expected))
        }
        let flat = try CampaignNormalizer.campaign(fromUpstream: Array(#"{"_id":"cd-e","status":"Active"}"#.utf8), type: .voice, version: .v1)
        #expect(flat["status"] == .string("active"))
    }

    @Test("v2 machine detection strings map to off/detect/disconnect; v1 booleans to off/detect")
    func machineDetection() throws {
        for (raw, expected) in [("\"no\"", "off"), ("\"detect\"", "detect"), ("\"disconnect\"", "disconnect"),
                                ("false", "off"), ("true", "detect")] {
            let body = #"{"status":"success","data":{"_id":"cd-1","enableMachineDetect":\#(raw)}}"#
            let campaign = try CampaignNormalizer.campaign(fromUpstream: Array(body.utf8), type: .voice, version: .v2)
            #expect(campaign["voice"]?["machineDetection"] == .string(expected))
        }
    }

    @Test("Bodies that are not a campaign are errors, never crashes",
          arguments: ["", "not json", "<html>502</html>", "[]", "\"x\"", "null", #"{"status":"success","data":[]}"#,
                      #"{"status":"failure","message":"boom"}"#, #"{"status":"error","data":{}}"#, "{\"a\":1}x"])
    func badBodies(_ text: String) {
        #expect(throws: NormalizationError.self) {
            _ = try CampaignNormalizer.normalize(upstreamBody: Array(text.utf8), operation: .delete, type: .voice, version: .v1)
        }
    }

    @Test("Non-JSON is notJSON, JSON of the wrong shape is unexpectedShape")
    func errorKinds() {
        #expect {
            _ = try CampaignNormalizer.campaign(fromUpstream: Array("<html>".utf8), type: .voice, version: .v1)
        } throws: { error in
            if case .notJSON = error as? NormalizationError { return true } else { return false }
        }
        #expect {
            _ = try CampaignNormalizer.campaign(fromUpstream: Array("[1]".utf8), type: .voice, version: .v1)
        } throws: { error in
            if case .unexpectedShape = error as? NormalizationError { return true } else { return false }
        }
    }
}
