import KoreSimulator
import Foundation
import TestSupport
import Testing

/// PUT through gateway and simulator: translated, validated before any upstream call, answered normalized.
@Suite struct UpdateEndToEndTests {
    @Test(arguments: ["v1", "v2"])
    func updatesVoiceCampaign(version: String) async throws {
        let h = try GatewayHarness()
        let body = Samples.voiceBody(name: "Renamed \(version)", withDnc: version == "v2")
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: version, body: Samples.data(body))
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.header("X-Upstream-Version") == version)
        let campaign = try #require(reply.json?["campaign"] as? [String: Any])
        #expect(campaign["id"] as? String == Samples.v1VoiceUpdate)
        #expect(campaign["name"] as? String == "Renamed \(version)")
        #expect(campaign["priority"] as? Int == 4)
        let hours = try #require(campaign["callingHours"] as? [String: Any])
        let days = try #require(hours["days"] as? [[String: Any]])
        #expect(days.count == 2)
        #expect(days.last?["start"] as? String == "09:30")
        #expect(days.last?["end"] as? String == "17:45")
        // What Kore.ai received: its own names and cases, campaignType in query and body.
        let call = try #require(h.simulator.calls.first)
        #expect(call.method == "PUT")
        #expect(call.query?.contains("campaignType=voice") == true)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        #expect(sent["campaignType"] as? String == "voice")
        #expect(sent["priority"] as? String == "4")
        #expect(sent["dialingMode"] as? String == "Preview")
        let strategy = try #require(sent["dialingStrategy"] as? [String: Any])
        #expect(strategy["dialingOrder"] as? String == "FIFO")
        #expect(strategy["defaultRetryPeriod"] as? Int == 10)
        #expect(strategy["maxRingTime"] as? Int == 30)
        let sentHours = try #require(strategy["callingHours"] as? [String: Any])
        #expect(sentHours["frequency"] as? String == "WEEKLY")
        let sentDays = try #require(sentHours["days"] as? [[String: Any]])
        #expect(sentDays.first?["start"] as? String == "9:00 AM")
        #expect(sentDays.last?["end"] as? String == "5:45 PM")
        #expect(sent["queue_name"] as? String == "Default Queue")
        if version == "v1" {
            #expect(sent["enableMachineDetect"] as? Bool == false)
            #expect(sent["dncLists"] == nil)
        } else {
            #expect(sent["dncLists"] != nil)
        }
    }

    @Test(arguments: ["v1", "v2"])
    func updatesSmsCampaignWithBase64Text(version: String) async throws {
        let h = try GatewayHarness()
        let text = "Hi <First Name>, pay at https://example.com/pay ✓"
        let id = version == "v1" ? Samples.v1SmsDelete : Samples.v2SmsDelete
        let reply = try await h.send("PUT", "/campaigns/sms/\(id)", tenant: version, body: Samples.data(Samples.smsBody(text: text, withDnc: version == "v2")))
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        let campaign = try #require(reply.json?["campaign"] as? [String: Any])
        let sms = try #require(campaign["sms"] as? [String: Any])
        #expect(sms["text"] as? String == text)
        let call = try #require(h.simulator.calls.first)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        let message = try #require(sent["message"] as? [String: Any])
        #expect(message["message"] as? String == Data(text.utf8).base64EncodedString())
        #expect(sent["campaignType"] as? String == "sms")
    }

    /// `UTC` and the `Etc/` zones are IANA names like any other: accepted and passed to Kore.ai as sent.
    @Test(arguments: ["UTC", "Etc/UTC", "Etc/GMT-5"])
    func utcAndEtcZonesAreAccepted(zone: String) async throws {
        let h = try GatewayHarness()
        var body = Samples.voiceBody(withDnc: true)
        var hours = body["callingHours"] as? [String: Any] ?? [:]
        hours["timezone"] = zone
        body["callingHours"] = hours
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v2", body: Samples.data(body))
        let sent = h.simulator.calls.last.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(sent.contains("\"timezone\":\"\(zone)\""), "\(sent)")
    }

    @Test func invalidBodyIs422WithEveryFieldAndNoUpstreamCall() async throws {
        let h = try GatewayHarness()
        var body = Samples.voiceBody(withDnc: false)
        body["name"] = String(repeating: "n", count: 49)
        body["priority"] = 9
        body["callerId"] = "12345"
        var voice = body["voice"] as? [String: Any] ?? [:]
        voice["maxRingTimeSeconds"] = 500
        body["voice"] = voice
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", body: Samples.data(body))
        await h.stop()
        #expect(reply.status == 422)
        #expect(reply.code == "validation_failed")
        let fields = Set(((reply.json?["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
        #expect(fields.isSuperset(of: ["name", "priority", "callerId", "voice.maxRingTimeSeconds"]), "\(fields)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func v1RejectsMachineDetectionDisconnect() async throws {
        let h = try GatewayHarness()
        var body = Samples.voiceBody(withDnc: false)
        var voice = body["voice"] as? [String: Any] ?? [:]
        voice["machineDetection"] = "disconnect"
        body["voice"] = voice
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", body: Samples.data(body))
        await h.stop()
        #expect(reply.status == 422)
        #expect(h.simulator.callCount == 0)
    }

    @Test func malformedJSONIs400() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", body: Data("{\"name\":".utf8))
        await h.stop()
        #expect(reply.status == 400)
        #expect(reply.code == "invalid_json")
        #expect(h.simulator.callCount == 0)
    }

    /// `curl --data @missing-file.json -H 'Content-Type: application/json'` sends an empty body; without the header,
    /// curl's own form content type. Either way the answer says the body is empty, not where JSON parsing stopped.
    @Test(arguments: [("application/x-www-form-urlencoded", ""), ("application/json", ""), ("application/json", " \r\n")])
    func anEmptyBodyIsSaidToBeEmpty(contentType: String, body: String) async throws {
        let h = try GatewayHarness()
        let port = h.port
        let key = GatewayHarness.apiKeys["all"] ?? ""
        let reply = try await OffPool.run {
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /campaigns/voice/\(Samples.v1VoiceUpdate) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Bearer \(key)\r\nX-Tenant: v1\r\nContent-Type: \(contentType)\r\n"
                            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return try client.readResponse()
        }
        await h.stop()
        #expect(reply.status == 400 && reply.json?["code"] as? String == "invalid_json", "\(reply.text)")
        let detail = reply.json?["detail"] as? String ?? ""
        #expect(detail.hasPrefix("the request body is empty"), "\(detail)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func wrongContentTypeIs415() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1",
                                     body: Samples.data(Samples.voiceBody(withDnc: false)), contentType: "text/plain")
        await h.stop()
        #expect(reply.status == 415)
        #expect(reply.code == "unsupported_media_type")
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let h = try GatewayHarness()
        var body = Samples.voiceBody(withDnc: false)
        body["description"] = String(repeating: "x", count: 70_000)
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", body: Samples.data(body))
        await h.stop()
        #expect(reply.status == 413)
        #expect(reply.header("Content-Type") == "application/problem+json")
        // Refused by the HTTP server before routing, and still quotable.
        #expect(reply.header("X-Request-Id") != nil)
        #expect(reply.json?["requestId"] as? String == reply.header("X-Request-Id"))
        #expect(h.simulator.callCount == 0)
    }

    @Test func dryRunShowsTheTranslatedBody() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)?dryRun=true", tenant: "v1",
                                     body: Samples.data(Samples.voiceBody(withDnc: false)))
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(h.simulator.callCount == 0)
        let upstream = try #require(reply.json?["upstreamRequest"] as? [String: Any])
        #expect(upstream["method"] as? String == "PUT")
        #expect((upstream["url"] as? String)?.hasSuffix("/agentassist/api/v1/public/st-test-v1/campaign/\(Samples.v1VoiceUpdate)?campaignType=voice") == true)
        let body = try #require(upstream["body"] as? [String: Any])
        #expect(body["campaignType"] as? String == "voice")
    }
}
