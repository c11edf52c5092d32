import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// The simulator's own checks on the operations beyond get/update/delete, independent of the gateway.
@Suite struct OperationShapeTests {
    let simulator = Fixture.simulator()

    private func request(_ method: String, _ path: String, query: String?, body: JSONValue? = nil) -> HTTPRequest {
        var request = Fixture.request(method, "v2", id: "x", body: body)
        request.path = path
        request.query = query
        request.target = query.map { "\(path)?\($0)" } ?? path
        return request
    }

    private var v2: String { "/campaign/api/v2/public/\(Fixture.tenant.streamId)/campaign" }
    private var account: String { "accountId=\(Fixture.tenant.accountId)" }

    @Test func v1StartUnderTheCRUDPrefixIsNotARoute() async {
        var start = Fixture.request("POST", "v1", id: Fixture.voiceSeeds[0])
        start.query = "campaignType=voice&trigger=play"
        // `/agentassist/api/v1/public/.../campaign/{id}` serves GET, PUT and DELETE: POST there is 405.
        #expect(await simulator.handle(start).status == 405)
        start.path = "/campaign/api/v1/public/\(Fixture.tenant.streamId)/campaign/\(Fixture.voiceSeeds[0])"
        #expect(await simulator.handle(start).status == 200)
    }

    @Test func listRequiresATypeAndKnownFilters() async {
        let missing = await simulator.handle(request("POST", v2 + "/getAllCampaignDetails", query: account, body: .object([:])))
        #expect(missing.status == 400)
        let badFilter = await simulator.handle(request("POST", v2 + "/getAllCampaignDetails", query: account, body: .object([
            "type": .string("voice"), "filters": .object(["status": .array([.string("ready")])]),
        ])))
        #expect(badFilter.status == 400)  // Kore.ai's spelling is `Ready`
        let ok = await simulator.handle(request("POST", v2 + "/getAllCampaignDetails", query: account, body: .object([
            "type": .string("voice"), "limit": .string(""), "skip": .string(""),
        ])))
        #expect(ok.status == 200)
        let results = Fixture.json(ok)?["data"]?["results"]?.arrayValue ?? []
        #expect(results.count == 3)
        // v2 voice results carry `_id` and `connection`, and no dialing strategy.
        #expect(results.allSatisfy { $0["_id"] != nil && $0["id"] == nil && $0["dialingStrategy"] == nil })
    }

    @Test func schedulesAreKeyedByNameAndChecked() async {
        let weekly: JSONValue = .object([
            "startDateTime": .string("2030-01-06 09:00:00"), "endDateTime": .string("2030-03-31 18:00:00"),
            "recurrenceObject": .object(["recurType": .string("Weekly"),
                                         "weeklyDetails": .object(["onceEveryNweeks": .int(1), "whichDays": .array([.string("Mon")])])]),
        ])
        let name = "Service%20Renewal%20Outreach%20Campaign61"
        let ok = await simulator.handle(request("POST", v2 + "/schedule", query: "enableSchedule=true&campaignName=\(name)", body: weekly))
        #expect(ok.status == 200)
        #expect(Fixture.json(ok)?["id"] == .string(Fixture.voiceSeeds[1]))
        let unknown = await simulator.handle(request("POST", v2 + "/schedule", query: "\(account)&enableSchedule=true&campaignName=Nobody", body: weekly))
        #expect(unknown.status == 404)
        let reversed: JSONValue = .object([
            "startDateTime": .string("2030-03-31 18:00:00"), "endDateTime": .string("2030-01-06 09:00:00"),
            "recurrenceObject": .object(["recurType": .string("Daily"), "dailyDetails": .object(["onceEveryNdays": .int(1)])]),
        ])
        let bad = await simulator.handle(request("POST", v2 + "/schedule", query: "\(account)&enableSchedule=true&campaignName=\(name)", body: reversed))
        #expect(bad.status == 400)
        // v1 has no schedule call.
        let v1 = await simulator.handle(request("POST", "/agentassist/api/v1/public/\(Fixture.tenant.streamId)/campaign/schedule",
                                                query: "enableSchedule=false&campaignName=\(name)", body: .object([:])))
        #expect(v1.status == 405)  // there `schedule` is a campaign id, served for GET, PUT and DELETE only
    }

    @Test func faultsApplyToTheNewOperationsToo() async {
        simulator.inject(.status(503), count: 1)
        let status = await simulator.handle(request("POST", v2 + "/\(Fixture.voiceSeeds[1])/status", query: "\(account)&view=status", body: .object([:])))
        #expect(status.status == 503)
        let again = await simulator.handle(request("POST", v2 + "/\(Fixture.voiceSeeds[1])/status", query: "\(account)&view=status", body: .object([:])))
        #expect(again.status == 200)
        #expect(Fixture.json(again)?["data"]?["status"] == .string("Ready"))
    }
}
