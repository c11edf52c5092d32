import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// DELETE on both schemes: the seed pages' answer shape, the record gone afterwards, type mismatches refused.
@Suite struct DeleteTests {
    @Test(arguments: Fixture.seedCases, ["v1", "v2"])
    func deleteAnswersLikeTheSeedPagesAndRemovesTheRecord(seed: SeedCase, version: String) async throws {
        let simulator = Fixture.simulator()
        let response = await simulator.handle(Fixture.request("DELETE", version, id: seed.id, type: seed.type))
        #expect(response.status == 200)
        let body = try #require(Fixture.json(response))
        let name = try #require(body["data"]?["name"]?.stringValue)
        #expect(body["status"] == .string("success"))
        #expect(body["message"] == .string("Campaign \(name) deleted successfully"))
        #expect(body["data"]?["_id"] == .string(seed.id))
        #expect(body["data"]?.objectValue?.keys.first == "_id")
        #expect(body["id"] == nil)
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId)?.contains(seed.id) == false)

        let again = await simulator.handle(Fixture.request("DELETE", version, id: seed.id, type: seed.type))
        #expect(again.status == 404)
        #expect(await simulator.handle(Fixture.request("GET", version, id: seed.id, type: nil)).status == 404)
    }

    @Test(arguments: Fixture.seedCases)
    func deleteWithTheOtherTypeIs404AndKeepsTheRecord(seed: SeedCase) async {
        let simulator = Fixture.simulator()
        let response = await simulator.handle(Fixture.request("DELETE", "v2", id: seed.id, type: seed.otherType))
        #expect(response.status == 404)
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId)?.contains(seed.id) == true)
    }

    @Test func seed000DeleteBodyMatchesThePageExactly() async throws {
        let simulator = Fixture.simulator()
        let id = "cd-2129073-58d9-44d5-a5d1-454b1220xxxx"
        let response = await simulator.handle(Fixture.request("DELETE", "v1", id: id, type: "voice"))
        let body = try #require(Fixture.json(response))
        let data = try #require(body["data"]?.objectValue)
        #expect(data.keys == ["_id", "name", "lname", "description", "priority", "dialingMode", "dialingStrategy", "status",
                              "maxSkips", "createdAt", "updatedAt", "schedule", "campaignInstanceId", "contactLists",
                              "enableMachineDetect"])
        #expect(body["message"] == .string("Campaign Billing Reminder Voice Campaign2 deleted successfully"))
        #expect(data["priority"] == .string("5"))
        #expect(data["updatedAt"] == .string("2025-06-26T11:41:42.569Z"))
    }

    @Test func deleteInOneTenantLeavesAnotherUntouched() async {
        let simulator = Fixture.simulator()
        let id = Fixture.voiceSeeds[0]
        #expect(await simulator.handle(Fixture.request("DELETE", "v1", id: id)).status == 200)
        let demo = Fixture.request("GET", "v1", id: id, type: nil, tenant: KoreSimulator.demoTenant,
                                   token: Fixture.token(for: KoreSimulator.demoTenant))
        #expect(await simulator.handle(demo).status == 200)
    }

    @Test func missingOrInvalidCampaignTypeIs400() async {
        let simulator = Fixture.simulator()
        let id = Fixture.voiceSeeds[0]
        let missing = await simulator.handle(Fixture.request("DELETE", "v1", id: id, type: nil))
        #expect(missing.status == 400)
        #expect(Fixture.errorMessages(missing).first?.contains("campaignType") == true)
        #expect(await simulator.handle(Fixture.request("DELETE", "v2", id: id, type: "Voice")).status == 400)
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: id, type: "email")).status == 400)
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId)?.contains(id) == true)
    }

    @Test func concurrentDeletesOfOneCampaignSucceedExactlyOnce() async {
        // 64 calls for one account: past Kore.ai's 60 a minute, so the limit is lifted.
        let simulator = Fixture.simulator(requestsPerMinute: nil)
        let id = Fixture.voiceSeeds[1]
        let statuses = await withTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    await simulator.handle(Fixture.request("DELETE", i % 2 == 0 ? "v1" : "v2", id: id)).status
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count == 1)
        #expect(statuses.filter { $0 == 404 }.count == 63)
        #expect(simulator.callCount == 64)
    }

    @Test func resetBringsDeletedSeedsBack() async {
        let simulator = Fixture.simulator()
        for seed in Fixture.seedCases {
            #expect(await simulator.handle(Fixture.request("DELETE", "v2", id: seed.id, type: seed.type)).status == 200)
        }
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId) == [])
        simulator.reset()
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId)?.count == 5)
        #expect(simulator.callCount == 0)
    }
}
