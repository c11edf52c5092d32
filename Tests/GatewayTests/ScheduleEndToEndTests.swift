import Foundation
import Testing
import KoreSimulator

/// PUT/DELETE /campaigns/{type}/{id}/schedule: Kore.ai keys schedules by name, so the gateway reads the campaign
/// first (two paced calls); v1 tenants get 501.
@Suite struct ScheduleEndToEndTests {
    @Test(arguments: ["voice", "sms"], [false, true])
    func enablesAScheduleByNameAfterReadingTheCampaign(type: String, weekly: Bool) async throws {
        let h = try GatewayHarness()
        let id = type == "voice" ? Samples.v2VoiceDelete : Samples.v2SmsDelete
        let name = type == "voice" ? "Service Renewal Outreach Campaign61" : "Billing Alert Template Campaign-21212"
        let reply = try await h.send("PUT", "/campaigns/\(type)/\(id)/schedule", tenant: "v2", json: CampaignAPI.schedule(weekly: weekly))
        let read = try await h.send("GET", "/campaigns/\(type)/\(id)", tenant: "v2")
        let calls = h.simulator.calls
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        let schedule = try #require(reply.json?["schedule"] as? [String: Any])
        #expect(Set(schedule.keys) == ["id", "type", "enabled", "start", "end", "recurrence"])
        #expect(schedule["id"] as? String == id && schedule["enabled"] as? Bool == true)
        #expect(schedule["start"] as? String == "2030-01-06T09:00:00")
        #expect((reply.json?["message"] as? String)?.contains("scheduled successfully") == true)
        // Two upstream calls: the read that learns the name, then Kore.ai's name-keyed schedule call.
        #expect(calls.map(\.method) == ["GET", "POST", "GET"])
        #expect(calls[1].path == "/campaign/api/v2/public/st-test-v2/campaign/schedule")
        let encodedName = name.replacingOccurrences(of: " ", with: "%20")
        #expect(calls[1].query == "accountId=acct-test-2&enableSchedule=true&campaignName=\(encodedName)")
        let sent = try #require(CampaignAPI.json(calls[1].body))
        #expect(sent["startDateTime"] as? String == "2030-01-06 09:00:00" && sent["endDateTime"] as? String == "2030-03-31 18:00:00")
        let recurrence = try #require(sent["recurrenceObject"] as? [String: Any])
        if weekly {
            #expect(recurrence["recurType"] as? String == "Weekly")
            let details = try #require(recurrence["weeklyDetails"] as? [String: Any])
            #expect(details["whichDays"] as? [String] == ["Mon", "Thu"] && details["onceEveryNweeks"] as? Int == 1)
        } else {
            #expect(recurrence["recurType"] as? String == "Daily")
            #expect((recurrence["dailyDetails"] as? [String: Any])?["onceEveryNdays"] as? Int == 1)
        }
        // The stored campaign now says its schedule is on.
        let stored = try #require((read.json?["campaign"] as? [String: Any])?["schedule"] as? [String: Any])
        #expect(stored["enabled"] as? Bool == true)
    }

    @Test func disablesTheSchedule() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)/schedule"
        _ = try await h.send("PUT", path, tenant: "v2", json: CampaignAPI.schedule(weekly: true))
        let off = try await h.send("DELETE", path, tenant: "v2")
        let read = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v2")
        let calls = h.simulator.calls
        await h.stop()
        #expect(off.status == 200, "\(off.text)")
        let schedule = try #require(off.json?["schedule"] as? [String: Any])
        #expect(schedule["enabled"] as? Bool == false && schedule["start"] is NSNull && schedule["recurrence"] is NSNull)
        #expect(calls[3].query?.contains("enableSchedule=false") == true)
        #expect(calls[3].body == Array("{}".utf8))
        #expect(((read.json?["campaign"] as? [String: Any])?["schedule"] as? [String: Any])?["enabled"] as? Bool == false)
    }

    @Test(arguments: ["PUT", "DELETE"])
    func v1TenantsGet501AndNothingIsSent(method: String) async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)/schedule"
        let reply = method == "PUT"
            ? try await h.send("PUT", path, tenant: "v1", json: CampaignAPI.schedule(weekly: false))
            : try await h.send("DELETE", path, tenant: "v1")
        let dry = try await h.send(method, path + "?dryRun=true", tenant: "v1")
        await h.stop()
        #expect(reply.status == 501 && reply.code == "not_supported_upstream", "\(reply.text)")
        #expect(dry.status == 501)
        #expect(h.simulator.callCount == 0)
    }

    @Test func everyScheduleRuleIsCheckedBeforeAnyCall() async throws {
        let h = try GatewayHarness()
        let body: [String: Any] = ["start": "2030-02-30T09:00", "end": "2030-01-01T09:00+05:30",
                                   "recurrence": ["every": "week", "interval": 0, "days": ["MO", "XX", "MO"]], "colour": "red"]
        let reply = try await h.send("PUT", "/campaigns/voice/\(Samples.v2VoiceDelete)/schedule", tenant: "v2", json: body)
        await h.stop()
        #expect(reply.status == 422)
        let fields = Set(((reply.json?["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
        #expect(fields == ["colour", "start", "end", "recurrence.interval", "recurrence.days[1]", "recurrence.days[2]"], "\(fields)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func dryRunShowsTheReadAndTheNameKeyedCall() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("PUT", "/campaigns/sms/\(Samples.v2SmsDelete)/schedule?dryRun=true", tenant: "v2",
                                     json: CampaignAPI.schedule(weekly: false))
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(h.simulator.callCount == 0)
        let read = try #require(reply.json?["upstreamReadFirst"] as? [String: Any])
        #expect(read["method"] as? String == "GET")
        let call = try #require(reply.json?["upstreamRequest"] as? [String: Any])
        #expect((call["url"] as? String)?.hasSuffix("enableSchedule=true&campaignName=%7Bname%7D") == true)
    }
}
