import Foundation
import Testing

/// A PUT's or a create's answer carries the `ETag` a GET would give, so a second edit can send `If-Match` without
/// reading the campaign again.
@Suite struct ChainedEditsEndToEndTests {
    @Test(arguments: ["v1", "v2"])
    func aPutAnswerCarriesTheTagAGetGivesAndTheNextPutCanUseIt(tenant: String) async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)"
        var body = Samples.voiceBody(name: "First edit", withDnc: false)
        let first = try await h.send("PUT", path, tenant: tenant, json: body)
        let read = try await h.send("GET", path, tenant: tenant)
        body["name"] = "Second edit"
        let second = try await h.send("PUT", path, tenant: tenant, headers: ["If-Match": first.header("ETag") ?? "missing"], json: body)
        body["name"] = "Third edit"
        let stale = try await h.send("PUT", path, tenant: tenant, headers: ["If-Match": first.header("ETag") ?? "missing"], json: body)
        await h.stop()
        #expect(first.status == 200, "\(first.text)")
        let tag = try #require(first.header("ETag"))
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""))
        #expect(tag == read.header("ETag"), "the PUT's tag is the one a GET gives")
        #expect(second.status == 200, "\(second.text)")
        #expect(second.header("ETag") != tag)
        #expect(stale.status == 412 && stale.header("ETag") == second.header("ETag"))
    }

    @Test(arguments: ["v1", "v2"])
    func aCreateAnswerCarriesTheTagOfWhatItHolds(tenant: String) async throws {
        let h = try GatewayHarness()
        let created = try await h.send("POST", "/campaigns/sms", tenant: tenant, json: CampaignAPI.smsCreate("plain", name: "Chained", v2: false))
        let id = try #require((created.json?["campaign"] as? [String: Any])?["id"] as? String)
        let read = try await h.send("GET", "/campaigns/sms/\(id)", tenant: tenant)
        await h.stop()
        #expect(created.status == 201)
        #expect(created.header("ETag") != nil && created.header("ETag") == read.header("ETag"))
    }

    @Test func v1PreviewsBareCreateAnswerCarriesNoTag() async throws {
        let h = try GatewayHarness()
        let created = try await h.send("POST", "/campaigns/voice", tenant: "v1", json: CampaignAPI.voiceCreate("preview", name: "Bare", v2: false))
        await h.stop()
        #expect(created.status == 201, "\(created.text)")
        #expect(created.header("ETag") == nil, "an answer of only an id is not the campaign")
    }
}
