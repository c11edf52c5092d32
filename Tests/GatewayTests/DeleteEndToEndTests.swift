import KoreSimulator
import Foundation
import Testing

/// DELETE through gateway and simulator over real sockets, for every seed on both versions.
@Suite struct DeleteEndToEndTests {
    @Test(arguments: [
        ("v1", "voice", Samples.v1VoiceDelete, "Billing Reminder Voice Campaign2"),
        ("v2", "voice", Samples.v2VoiceDelete, "Service Renewal Outreach Campaign61"),
        ("v1", "sms", Samples.v1SmsDelete, "Interactive Support SMS Campaign"),
        ("v2", "sms", Samples.v2SmsDelete, "Billing Alert Template Campaign-21212"),
    ])
    func deletesSeedCampaign(tenant: String, type: String, id: String, name: String) async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/\(type)/\(id)", tenant: tenant, headers: ["X-Request-Id": "req-\(tenant)-\(type)"])
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.header("X-Upstream-Version") == tenant)
        #expect(reply.header("X-Request-Id") == "req-\(tenant)-\(type)")
        #expect(reply.header("Content-Type") == "application/json")
        let campaign = try #require(reply.json?["campaign"] as? [String: Any])
        #expect(campaign["id"] as? String == id)
        #expect(campaign["type"] as? String == type)
        #expect(campaign["name"] as? String == name)
        #expect(campaign["priority"] as? Int == 5)
        #expect(campaign["lname"] == nil)
        #expect((reply.json?["message"] as? String)?.contains("deleted successfully") == true)
        // Exactly one upstream call, with the route's real type and the tenant's URL scheme.
        let calls = h.simulator.calls
        #expect(calls.count == 1)
        #expect(calls.first?.method == "DELETE")
        let prefix = tenant == "v1" ? "/agentassist/api/v1/public/st-test-v1/campaign/" : "/campaign/api/v2/public/st-test-v2/campaign/"
        #expect(calls.first?.path == prefix + id)
        #expect(calls.first?.query?.contains("campaignType=\(type)") == true)
    }

    @Test func secondDeleteIsNotFound() async throws {
        let h = try GatewayHarness()
        let first = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1")
        let second = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1")
        await h.stop()
        #expect(first.status == 200)
        #expect(second.status == 404)
        #expect(second.code == "campaign_not_found")
        #expect(second.header("Content-Type") == "application/problem+json")
        let upstream = try #require(second.json?["upstream"] as? [String: Any])
        #expect(upstream["status"] as? Int == 404)
        #expect(upstream["version"] as? String == "v1")
    }

    @Test func wrongTypeForTheRecordIsNotFound() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/sms/\(Samples.v1VoiceDelete)", tenant: "v2")
        await h.stop()
        #expect(reply.status == 404)
        #expect(reply.code == "campaign_not_found")
    }

    @Test func enforceJtiTenantGetsAFreshTokenPerCall() async throws {
        let h = try GatewayHarness()
        let a = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["jti"])
        let b = try await h.send("DELETE", "/campaigns/voice/\(Samples.v2VoiceDelete)", key: GatewayHarness.apiKeys["jti"])
        await h.stop()
        #expect(a.status == 200, "\(a.text)")
        #expect(b.status == 200, "\(b.text)")
        let tokens = h.simulator.calls.compactMap { call in call.headers.first { $0.0.lowercased() == "auth" }?.1 }
        #expect(tokens.count == 2)
        #expect(Set(tokens).count == 2)
    }

    @Test func dryRunSendsNothingAndRedactsTheToken() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/sms/\(Samples.v2SmsDelete)?dryRun=true", tenant: "v2")
        await h.stop()
        #expect(reply.status == 200)
        #expect(h.simulator.callCount == 0)
        let upstream = try #require(reply.json?["upstreamRequest"] as? [String: Any])
        #expect(upstream["method"] as? String == "DELETE")
        let url = try #require(upstream["url"] as? String)
        #expect(url.hasSuffix("/campaign/api/v2/public/st-test-v2/campaign/\(Samples.v2SmsDelete)?accountId=acct-test-2&campaignType=sms"))
        let headers = try #require(upstream["headers"] as? [String: String])
        #expect(headers["auth"] == "<redacted>")
        #expect(headers["iid"] == "st-test-v2")
        #expect(!reply.text.contains("eyJ"))  // no JWT anywhere
    }
}
