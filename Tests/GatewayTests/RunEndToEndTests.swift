import Foundation
import Testing
import KoreSimulator

/// Start, stop and status: one run-state shape, every key present, whatever Kore.ai answered (flat trigger answers,
/// the status envelope), with each version's URL (v1 start/stop under another service prefix, v2 under trigger/).
@Suite struct RunEndToEndTests {
    @Test(arguments: [
        ("v1", "voice", Samples.v1VoiceDelete), ("v2", "voice", Samples.v2VoiceDelete),
        ("v1", "sms", Samples.v1SmsDelete), ("v2", "sms", Samples.v2SmsDelete),
    ])
    func startsReportsAndStops(tenant: String, type: String, id: String) async throws {
        let h = try GatewayHarness()
        let base = "/campaigns/\(type)/\(id)"
        let start = try await h.send("POST", base + "/start", tenant: tenant)
        let running = try await h.send("GET", base + "/status", tenant: tenant)
        let stop = try await h.send("POST", base + "/stop", tenant: tenant)
        let stopped = try await h.send("GET", base + "/status", tenant: tenant)
        let calls = h.simulator.calls
        await h.stop()
        for reply in [start, running, stop, stopped] {
            #expect(reply.status == 200, "\(reply.text)")
            let run = try #require(reply.json?["run"] as? [String: Any])
            #expect(Set(run.keys) == CampaignAPI.runKeys)
            #expect(run["id"] as? String == id && run["type"] as? String == type)
            #expect(reply.json?["message"] is String)
        }
        let startRun = try #require(start.json?["run"] as? [String: Any])
        #expect(startRun["status"] as? String == "active")
        #expect(startRun["updatedAt"] is String)
        if type == "voice" {
            #expect((startRun["instanceId"] as? String)?.hasPrefix("cid-") == true)
            #expect(startRun["totalCallsCompleted"] as? Int == 0)
        } else {
            #expect(startRun["instanceId"] is NSNull && startRun["totalCallsCompleted"] is NSNull)
        }
        #expect(start.json?["message"] as? String == "Campaign Started")
        #expect((running.json?["run"] as? [String: Any])?["status"] as? String == "active")
        #expect((running.json?["run"] as? [String: Any])?["name"] is String)
        #expect((stop.json?["run"] as? [String: Any])?["status"] as? String == "stopped")
        #expect((stopped.json?["run"] as? [String: Any])?["status"] as? String == "stopped")
        // The URLs: v1 start/stop under /campaign/api/v1 (not /agentassist), v2 under /campaign/trigger/{id}; the
        // status is preceded by a read (Kore.ai's status call names no type, so the read checks it).
        let triggerPath = tenant == "v1" ? "/campaign/api/v1/public/st-test-v1/campaign/\(id)"
                                         : "/campaign/api/v2/public/st-test-v2/campaign/trigger/\(id)"
        let getPath = tenant == "v1" ? "/agentassist/api/v1/public/st-test-v1/campaign/\(id)"
                                     : "/campaign/api/v2/public/st-test-v2/campaign/\(id)"
        #expect(calls.map(\.path) == [triggerPath, getPath, statusPath(tenant, id), triggerPath, getPath, statusPath(tenant, id)])
        #expect(calls[0].query?.contains("trigger=play") == true && calls[3].query?.contains("trigger=stop") == true)
        #expect(calls[0].query?.contains("campaignType=\(type)") == true)
        #expect(calls.filter { $0.method == "POST" }.count == 4)
        #expect(calls.allSatisfy { $0.method == "GET" || $0.body == Array("{}".utf8) })
    }

    private func statusPath(_ tenant: String, _ id: String) -> String {
        tenant == "v1" ? "/agentassist/api/v1/public/st-test-v1/campaign/\(id)/status"
                       : "/campaign/api/v2/public/st-test-v2/campaign/\(id)/status"
    }

    @Test func startingARunningCampaignIsAConflict() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)/start"
        let first = try await h.send("POST", path, tenant: "v2")
        let second = try await h.send("POST", path, tenant: "v2")
        await h.stop()
        #expect(first.status == 200)
        #expect(second.status == 409 && second.code == "conflict")
    }

    @Test func startWithTheWrongTypeIsNotFound() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("POST", "/campaigns/sms/\(Samples.v1VoiceUpdate)/start", tenant: "v1")
        await h.stop()
        #expect(reply.status == 404 && reply.code == "campaign_not_found")
    }

    /// Kore.ai's status call names no type and answers none: the gateway reads the campaign first, so the SMS route
    /// does not answer for a voice campaign (nor the voice route for an SMS one), as every other route.
    @Test(arguments: [("sms", Samples.v1VoiceUpdate), ("voice", Samples.v1SmsDelete)])
    func statusWithTheWrongTypeIsNotFound(type: String, id: String) async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/\(type)/\(id)/status", tenant: "v1")
        let dryRun = try await h.send("GET", "/campaigns/\(type)/\(id)/status?dryRun=true", tenant: "v1")
        let calls = h.simulator.calls
        let metrics = try await h.send("GET", "/metrics", key: nil).text
        await h.stop()
        #expect(reply.status == 404 && reply.code == "campaign_not_found", "\(reply.text)")
        // The other type's fields, read through this type's mapper, are not drift.
        #expect(!metrics.contains("campaign_gateway_upstream_unknown_fields_total{"), "\(metrics)")
        #expect(calls.map(\.method) == ["GET"], "only the read: the status call is not made")
        #expect(dryRun.json?["upstreamReadFirst"] is [String: Any], "\(dryRun.text)")
    }

    @Test func controlIsAuditedAndStatusIsNot() async throws {
        let h = try GatewayHarness(GatewayHarness.Options(audit: true))
        _ = try await h.send("POST", "/campaigns/voice/\(Samples.v1VoiceUpdate)/start", tenant: "v1", headers: ["X-Request-Id": "audit-start"])
        _ = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)/status", tenant: "v1")
        _ = try await h.send("POST", "/campaigns/voice/\(Samples.v1VoiceUpdate)/stop", tenant: "v1", headers: ["X-Request-Id": "audit-stop"])
        let text = (try? String(contentsOfFile: h.directory + "/audit.jsonl", encoding: .utf8)) ?? ""
        await h.stop()
        let records = text.split(separator: "\n").compactMap { CampaignAPI.json(Array($0.utf8)) }
        #expect(records.map { $0["operation"] as? String } == ["start", "stop"])
        #expect(records.map { $0["requestId"] as? String } == ["audit-start", "audit-stop"])
        #expect(records.allSatisfy { $0["outcome"] as? String == "succeeded" && $0["campaignId"] as? String == Samples.v1VoiceUpdate })
    }

    @Test func startDryRunSendsNothing() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("POST", "/campaigns/sms/\(Samples.v2SmsDelete)/start?dryRun=true", tenant: "v2")
        await h.stop()
        #expect(reply.status == 200)
        #expect(h.simulator.callCount == 0)
        let upstream = try #require(reply.json?["upstreamRequest"] as? [String: Any])
        #expect((upstream["url"] as? String)?.hasSuffix("/campaign/trigger/\(Samples.v2SmsDelete)?accountId=acct-test-2&campaignType=sms&trigger=play") == true)
    }
}
