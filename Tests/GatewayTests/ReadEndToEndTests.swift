import Foundation
import Testing
import KoreSimulator

/// GET one campaign through gateway and simulator: the normalized shape, a strong ETag over it, 304 on
/// If-None-Match, 404 for the other type.
@Suite struct ReadEndToEndTests {
    @Test(arguments: [
        ("v1", "voice", Samples.v1VoiceDelete), ("v2", "voice", Samples.v2VoiceDelete),
        ("v1", "sms", Samples.v1SmsDelete), ("v2", "sms", Samples.v2SmsDelete),
    ])
    func readsSeedCampaignWithAStrongETag(tenant: String, type: String, id: String) async throws {
        let h = try GatewayHarness()
        let first = try await h.send("GET", "/campaigns/\(type)/\(id)", tenant: tenant)
        let second = try await h.send("GET", "/campaigns/\(type)/\(id)", key: GatewayHarness.apiKeys["second"], tenant: tenant)
        await h.stop()
        #expect(first.status == 200, "\(first.text)")
        #expect(first.header("X-Upstream-Version") == tenant)
        let campaign = try #require(first.json?["campaign"] as? [String: Any])
        #expect(campaign["id"] as? String == id)
        #expect(CampaignAPI.hasFullShape(campaign, type: type), "\(campaign.keys.sorted())")
        #expect((first.json?["message"] as? String)?.contains("retrieved") == true)
        // Strong (no W/), quoted SHA-256 hex, the same for an unchanged campaign whoever reads it.
        let tag = try #require(first.header("ETag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 66, "\(tag)")
        #expect(second.header("ETag") == tag)
        let call = try #require(h.simulator.calls.first)
        #expect(call.method == "GET")
        #expect(call.query?.contains("campaignType") != true)
    }

    @Test func ifNoneMatchWithTheCurrentTagIs304WithoutABody() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)"
        let first = try await h.send("GET", path, tenant: "v2")
        let tag = try #require(first.header("ETag"))
        let again = try await h.send("GET", path, tenant: "v2", headers: ["If-None-Match": tag])
        let other = try await h.send("GET", path, tenant: "v2", headers: ["If-None-Match": "\"something-else\""])
        await h.stop()
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.header("ETag") == tag)
        #expect(other.status == 200)
    }

    @Test func theTagChangesWhenTheCampaignChanges() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)"
        let before = try await h.send("GET", path, tenant: "v1")
        let put = try await h.send("PUT", path, tenant: "v1", json: Samples.voiceBody(name: "Renamed for the tag", withDnc: false))
        let after = try await h.send("GET", path, tenant: "v1")
        await h.stop()
        #expect(put.status == 200, "\(put.text)")
        #expect(before.header("ETag") != nil && after.header("ETag") != nil)
        #expect(before.header("ETag") != after.header("ETag"))
    }

    @Test(arguments: ["v1", "v2"])
    func aRecordOfTheOtherTypeIsNotFound(tenant: String) async throws {
        let h = try GatewayHarness()
        let smsAsVoice = try await h.send("GET", "/campaigns/voice/\(Samples.v1SmsDelete)", tenant: tenant)
        let voiceAsSms = try await h.send("GET", "/campaigns/sms/\(Samples.v1VoiceDelete)", tenant: tenant)
        await h.stop()
        #expect(smsAsVoice.status == 404 && smsAsVoice.code == "campaign_not_found", "\(smsAsVoice.text)")
        #expect(voiceAsSms.status == 404 && voiceAsSms.code == "campaign_not_found", "\(voiceAsSms.text)")
    }

    @Test func readNeedsOnlyTheReadScopeAndWritesNeedMore() async throws {
        let h = try GatewayHarness()
        let read = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["readonly"])
        let delete = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["readonly"])
        let start = try await h.send("POST", "/campaigns/voice/\(Samples.v1VoiceDelete)/start", key: GatewayHarness.apiKeys["readonly"])
        let create = try await h.send("POST", "/campaigns/voice", key: GatewayHarness.apiKeys["readonly"],
                                      json: CampaignAPI.voiceCreate("preview", name: "x", v2: false))
        await h.stop()
        #expect(read.status == 200)
        #expect(delete.code == "insufficient_scope")
        #expect(start.code == "insufficient_scope")
        #expect(create.code == "insufficient_scope")
        #expect(h.simulator.callCount == 1)
    }

    @Test func unknownCampaignIsNotFound() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/sms/cd-does-not-exist", tenant: "v2")
        await h.stop()
        #expect(reply.status == 404 && reply.code == "campaign_not_found")
        #expect(reply.header("ETag") == nil)
    }
}
