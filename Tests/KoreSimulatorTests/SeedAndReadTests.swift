import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// The store starts with Kore.ai's five sample campaigns and GET shows them in each version's shape.
@Suite struct SeedAndReadTests {
    @Test func fiveSeedsParseWithTheirPublishedIdsAndTypes() {
        let records = SeedCampaigns.records
        #expect(records.count == 5)
        #expect(records.filter { $0.type == .voice }.map(\.id) == Fixture.voiceSeeds)
        #expect(records.filter { $0.type == .sms }.map(\.id) == Fixture.smsSeeds)
        for record in records {
            #expect(record.fields.keys.first == "_id")
            #expect(record.fields["campaignType"] == nil)
            #expect(record.fields["id"] == nil)
        }
    }

    @Test func everyTenantStartsWithTheSeeds() {
        let simulator = Fixture.simulator()
        let expected = (Fixture.voiceSeeds + Fixture.smsSeeds).sorted()
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId) == expected)
        #expect(simulator.campaignIds(streamId: KoreSimulator.demoTenant.streamId) == expected)
        #expect(simulator.campaignIds(streamId: "st-unknown") == nil)
    }

    @Test(arguments: Fixture.seedCases, ["v1", "v2"])
    func getAnswersEverySeedOnBothVersions(seed: SeedCase, version: String) async throws {
        let simulator = Fixture.simulator()
        let response = await simulator.handle(Fixture.request("GET", version, id: seed.id, type: nil))
        #expect(response.status == 200)
        let body = try #require(Fixture.json(response))
        #expect(body["status"] == .string("success"))
        #expect(body["data"]?["_id"] == .string(seed.id))
        // Kore.ai's get-by-id pages answer with a message, as delete does.
        #expect(body["message"]?.stringValue?.hasSuffix("retrieved successfully") == true)
        #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true)
    }

    @Test func v1HidesV2OnlyFieldsAndV2ShowsThem() async throws {
        let simulator = Fixture.simulator()
        let id = "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx"  // seed 001, a v2 record with dncLists and useSystemMappings
        let v1 = try #require(Fixture.json(await simulator.handle(Fixture.request("GET", "v1", id: id, type: nil))))
        let v2 = try #require(Fixture.json(await simulator.handle(Fixture.request("GET", "v2", id: id, type: nil))))
        #expect(v1["data"]?["dncLists"] == nil)
        #expect(v1["data"]?["isFiltersEnabled"] == nil)
        #expect(v1["data"]?["dialingStrategy"]?["useSystemMappings"] == nil)
        #expect(v1["data"]?["dialingStrategy"]?["maxRingTime"] == .int(30))
        #expect(v2["data"]?["dncLists"]?["name"] == .string("DNC CL Dec 4"))
        #expect(v2["data"]?["isFiltersEnabled"] == .bool(false))
        #expect(v2["data"]?["dialingStrategy"]?["useSystemMappings"] == .bool(false))
    }

    @Test func v2DefaultsTheFieldsAV1SeedLacks() async throws {
        let simulator = Fixture.simulator()
        let id = "cd-2129073-58d9-44d5-a5d1-454b1220xxxx"  // seed 000, from a v1 page
        let v2 = try #require(Fixture.json(await simulator.handle(Fixture.request("GET", "v2", id: id, type: nil))))
        #expect(v2["data"]?["dncLists"] == .null)
        #expect(v2["data"]?["isFiltersEnabled"] == .bool(false))
        // Kore.ai's v2 answers never show machine detection; the record keeps it for v1.
        #expect(v2["data"]?["enableMachineDetect"] == nil)
        let v1 = try #require(Fixture.json(await simulator.handle(Fixture.request("GET", "v1", id: id, type: nil))))
        #expect(v1["data"]?["enableMachineDetect"] == .bool(false))
    }

    @Test func getWithAMatchingTypeAnswersAndAWrongTypeIs404() async {
        let simulator = Fixture.simulator()
        let id = Fixture.smsSeeds[0]
        #expect(await simulator.handle(Fixture.request("GET", "v2", id: id, type: "sms")).status == 200)
        #expect(await simulator.handle(Fixture.request("GET", "v2", id: id, type: "voice")).status == 404)
    }

    @Test func unknownIdIs404InKoreErrorShape() async throws {
        let simulator = Fixture.simulator()
        let response = await simulator.handle(Fixture.request("GET", "v1", id: "cd-does-not-exist", type: nil))
        #expect(response.status == 404)
        let body = try #require(Fixture.json(response))
        #expect(body["errors"]?.arrayValue?.first?["code"] == .int(404))
        #expect(Fixture.errorMessages(response) == ["Campaign not found"])
    }

    @Test func timestampsAreISO8601WithMilliseconds() {
        #expect(ISOTimestamp.string(epochSeconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISOTimestamp.string(epochSeconds: Fixture.now) == "2025-06-15T15:06:40.000Z")
        #expect(ISOTimestamp.string(epochSeconds: 951_782_400, milliseconds: 5) == "2000-02-29T00:00:00.005Z")
        #expect(ISOTimestamp.string(epochSeconds: -1) == "1969-12-31T23:59:59.000Z")
    }
}
