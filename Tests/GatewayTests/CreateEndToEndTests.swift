import Foundation
import Testing
import KoreSimulator

/// POST /campaigns/{type}: validated per dialing mode and SMS format before any call, 201 with Location, and each of
/// Kore.ai's differing create answers normalized to the full shape.
@Suite struct CreateEndToEndTests {
    @Test(arguments: ["v1", "v2"], ["agentless", "progressive", "preview"])
    func createsVoiceCampaign(tenant: String, mode: String) async throws {
        let h = try GatewayHarness()
        let name = "New \(mode) \(tenant)"
        let reply = try await h.send("POST", "/campaigns/voice", tenant: tenant, json: CampaignAPI.voiceCreate(mode, name: name, v2: tenant == "v2"))
        let id = (reply.json?["campaign"] as? [String: Any])?["id"] as? String ?? ""
        let read = try await h.send("GET", "/campaigns/voice/\(id)", tenant: tenant)
        await h.stop()
        #expect(reply.status == 201, "\(reply.text)")
        let campaign = try #require(reply.json?["campaign"] as? [String: Any])
        #expect(CampaignAPI.hasFullShape(campaign, type: "voice"), "\(campaign.keys.sorted())")
        #expect(id.hasPrefix("cd-"))
        #expect(reply.header("Location") == "/campaigns/voice/\(id)")
        if tenant == "v1" && mode == "preview" {
            // Kore.ai's v1 preview create answers only {id, data: {campId}}: the rest is null, never missing.
            #expect(campaign["name"] is NSNull && campaign["status"] is NSNull)
        } else {
            #expect(campaign["name"] as? String == name)
            #expect(campaign["status"] as? String == "preparing")
        }
        // The created campaign is stored and readable (preparation has finished by then).
        #expect(read.status == 200, "\(read.text)")
        let stored = try #require(read.json?["campaign"] as? [String: Any])
        #expect(stored["name"] as? String == name && stored["status"] as? String == "ready")
        #expect((stored["voice"] as? [String: Any])?["dialingMode"] as? String == mode)
        let call = try #require(h.simulator.calls.first)
        #expect(call.method == "POST" && call.query?.contains("campaignType=voice") == true)
        let sent = try #require(CampaignAPI.json(call.body))
        #expect(sent["campaignType"] as? String == "voice")
        #expect(sent["dialingMode"] as? String == mode.prefix(1).uppercased() + mode.dropFirst())
    }

    @Test(arguments: ["v1", "v2"], ["plain", "template", "advanced"])
    func createsSmsCampaign(tenant: String, variant: String) async throws {
        let h = try GatewayHarness()
        let name = "New SMS \(variant) \(tenant)"
        let reply = try await h.send("POST", "/campaigns/sms", tenant: tenant, json: CampaignAPI.smsCreate(variant, name: name, v2: tenant == "v2"))
        await h.stop()
        #expect(reply.status == 201, "\(reply.text)")
        let campaign = try #require(reply.json?["campaign"] as? [String: Any])
        #expect(CampaignAPI.hasFullShape(campaign, type: "sms"), "\(campaign.keys.sorted())")
        #expect(campaign["status"] as? String == "ready")
        let id = try #require(campaign["id"] as? String)
        #expect(reply.header("Location") == "/campaigns/sms/\(id)")
        let sms = try #require(campaign["sms"] as? [String: Any])
        #expect(sms["format"] as? String == (variant == "advanced" ? "advanced" : "simple"))
        if variant != "advanced" { #expect(sms["text"] as? String == "Hello <First Name>, your bill is due.") }
        if variant == "template" { #expect((sms["template"] as? [String: Any])?["name"] as? String == "Billing Template") }
    }

    @Test(arguments: [
        ("agentless without experienceFlowName", "voice", "voice.experienceFlowName"),
        ("preview without queueName", "voice", "voice.queueName"),
        ("preview without maxSkips", "voice", "voice.maxSkips"),
        ("plain SMS without text", "sms", "sms.text"),
        ("template SMS without its name", "sms", "sms.template.name"),
        ("advanced SMS without experienceFlowName", "sms", "sms.experienceFlowName"),
    ])
    func eachVariantsRequiredFieldIsCheckedBeforeAnyCall(name: String, type: String, field: String) async throws {
        let h = try GatewayHarness()
        var body: [String: Any]
        if type == "voice" {
            body = CampaignAPI.voiceCreate(name.hasPrefix("agentless") ? "agentless" : "preview", name: "x", v2: false)
            var voice = body["voice"] as? [String: Any] ?? [:]
            voice[String(field.dropFirst("voice.".count))] = NSNull()
            body["voice"] = voice
        } else {
            let variant = name.hasPrefix("plain") ? "plain" : (name.hasPrefix("template") ? "template" : "advanced")
            body = CampaignAPI.smsCreate(variant, name: "x", v2: false)
            var sms = body["sms"] as? [String: Any] ?? [:]
            if field == "sms.template.name" { sms["template"] = ["id": "cmt-1"] } else { sms[String(field.dropFirst("sms.".count))] = NSNull() }
            body["sms"] = sms
        }
        let reply = try await h.send("POST", "/campaigns/\(type)", tenant: "v1", json: body)
        await h.stop()
        #expect(reply.status == 422, "\(reply.text)")
        let fields = ((reply.json?["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
        #expect(fields.contains(field), "\(fields)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func everyFailingFieldIsListedAtOnce() async throws {
        let h = try GatewayHarness()
        var body = CampaignAPI.voiceCreate("agentless", name: String(repeating: "n", count: 49), v2: true)
        body["priority"] = 0
        body["dncList"] = "DNC CL Dec 4"
        var voice = body["voice"] as? [String: Any] ?? [:]
        voice["experienceFlowName"] = NSNull()
        body["voice"] = voice
        let reply = try await h.send("POST", "/campaigns/voice", tenant: "v2", json: body)
        await h.stop()
        #expect(reply.status == 422)
        let fields = Set(((reply.json?["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
        #expect(fields == ["name", "priority", "dncList", "voice.experienceFlowName"], "\(fields)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func createDryRunShowsTheCallAndCreatesNothing() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("POST", "/campaigns/sms?dryRun=true", tenant: "v1", json: CampaignAPI.smsCreate("plain", name: "Dry", v2: false))
        let list = try await h.send("GET", "/campaigns/sms", tenant: "v1")
        await h.stop()
        #expect(reply.status == 200)
        let upstream = try #require(reply.json?["upstreamRequest"] as? [String: Any])
        #expect((upstream["url"] as? String)?.hasSuffix("/agentassist/api/v1/public/st-test-v1/campaign?campaignType=sms") == true)
        #expect(list.json?["total"] as? Int == 2)
        #expect(h.simulator.callCount == 1)  // the list only
    }
}
