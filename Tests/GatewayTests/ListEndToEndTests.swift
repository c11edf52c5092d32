import Foundation
import Testing
import KoreSimulator

/// GET /campaigns/{type}: Kore.ai's list call with filters in the body, answered in the gateway's envelope with
/// every campaign in the full normalized shape.
@Suite struct ListEndToEndTests {
    @Test(arguments: ["v1", "v2"], ["voice", "sms"])
    func listsEveryCampaignOfTheTypeInTheFullShape(tenant: String, type: String) async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/\(type)", tenant: tenant)
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        let json = try #require(reply.json)
        #expect(Set(json.keys) == ["campaigns", "page", "limit", "total", "totalPages", "hasMore"])
        let campaigns = try #require(json["campaigns"] as? [[String: Any]])
        let expected: Set<String> = type == "voice"
            ? [Samples.v1VoiceDelete, Samples.v2VoiceDelete, Samples.v1VoiceUpdate]
            : [Samples.v1SmsDelete, Samples.v2SmsDelete]
        #expect(Set(campaigns.compactMap { $0["id"] as? String }) == expected)
        for campaign in campaigns {
            #expect(CampaignAPI.hasFullShape(campaign, type: type), "\(campaign.keys.sorted())")
            #expect(campaign["type"] as? String == type)
        }
        #expect(json["page"] as? Int == 1 && json["limit"] as? Int == 20)
        #expect(json["total"] as? Int == expected.count && json["totalPages"] as? Int == 1 && json["hasMore"] as? Bool == false)
        // What Kore.ai received: its list call, the type and paging in the body.
        let call = try #require(h.simulator.calls.first)
        #expect(call.method == "POST")
        #expect(call.path.hasSuffix("/campaign/getAllCampaignDetails"))
        let sent = try #require(CampaignAPI.json(call.body))
        #expect(sent["type"] as? String == type && sent["limit"] as? Int == 20 && sent["skip"] as? Int == 0)
    }

    @Test func filtersGoToKoreAiInItsSpellingAndOnlyMatchingCampaignsComeBack() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/voice?status=ready,active&priority=5&dialingMode=preview,progressive&sort=-name", tenant: "v2")
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        let campaigns = try #require(reply.json?["campaigns"] as? [[String: Any]])
        // Ready voice seeds with priority 5: seed 001 (progressive) and seed 004 (preview); name descending.
        #expect(campaigns.compactMap { $0["id"] as? String } == [Samples.v2VoiceDelete, Samples.v1VoiceUpdate])
        #expect(campaigns.allSatisfy { $0["status"] as? String == "ready" })
        let call = try #require(h.simulator.calls.first)
        let sent = try #require(CampaignAPI.json(call.body))
        let filters = try #require(sent["filters"] as? [String: Any])
        #expect(filters["status"] as? [String] == ["Ready", "Active"])
        #expect(filters["priority"] as? [Int] == [5])
        #expect(filters["dialingMode"] as? [String] == ["Preview", "Progressive"])
        #expect(sent["sortBy"] as? [String: String] == ["name": "desc"])
    }

    @Test func pagesAreOneBasedAndSentAsSkip() async throws {
        let h = try GatewayHarness()
        let first = try await h.send("GET", "/campaigns/voice?limit=2&sort=name", tenant: "v1")
        let second = try await h.send("GET", "/campaigns/voice?limit=2&page=2&sort=name", tenant: "v1")
        await h.stop()
        #expect(first.json?["total"] as? Int == 3 && first.json?["totalPages"] as? Int == 2)
        #expect(first.json?["hasMore"] as? Bool == true && second.json?["hasMore"] as? Bool == false)
        #expect((first.json?["campaigns"] as? [Any])?.count == 2)
        #expect((second.json?["campaigns"] as? [Any])?.count == 1)
        #expect(second.json?["page"] as? Int == 2)
        let sent = try #require(CampaignAPI.json(h.simulator.calls[1].body))
        #expect(sent["skip"] as? Int == 2 && sent["limit"] as? Int == 2)
    }

    @Test(arguments: [
        "?limit=0", "?limit=101", "?limit=ten", "?page=0", "?page=-1", "?status=running", "?status=Ready", "?status=",
        "?priority=6", "?priority=1,x", "?sort=priority", "?sort=--name", "?colour=red", "?page=1&page=2", "?dryrun=true",
        "?limit=+5", "?status=ready,,active",
    ])
    func malformedOrUnknownParametersAre400BeforeAnyCall(query: String) async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/voice\(query)", tenant: "v1")
        await h.stop()
        #expect(reply.status == 400, "\(query): \(reply.text)")
        #expect(reply.code == "invalid_query")
        #expect(h.simulator.callCount == 0)
    }

    @Test func dialingModeIsAVoiceFilterOnly() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/sms?dialingMode=preview", tenant: "v2")
        await h.stop()
        #expect(reply.status == 400 && reply.code == "invalid_query")
    }

    @Test func listDryRunShowsTheFilterBody() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/sms?status=stopped&dryRun=true", tenant: "v2")
        await h.stop()
        #expect(reply.status == 200)
        #expect(h.simulator.callCount == 0)
        let upstream = try #require(reply.json?["upstreamRequest"] as? [String: Any])
        #expect(upstream["method"] as? String == "POST")
        #expect((upstream["url"] as? String)?.hasSuffix("/campaign/api/v2/public/st-test-v2/campaign/getAllCampaignDetails?accountId=acct-test-2") == true)
        let body = try #require(upstream["body"] as? [String: Any])
        #expect((body["filters"] as? [String: Any])?["status"] as? [String] == ["Stopped"])
    }
}
