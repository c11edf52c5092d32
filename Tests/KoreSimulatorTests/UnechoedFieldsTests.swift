import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// What Kore.ai stores but never shows on a record (the queue, the experience flow's name, v2's machine detection, v2
/// fields seen through v1): stored as written, shown only where Kore.ai's samples show it (the list's `connection`),
/// and kept by a PUT that leaves it out, since a caller who read the record could not have sent it back.
@Suite struct UnechoedFieldsTests {
    let simulator = Fixture.simulator()
    let preview = "cd-2129073-58d9-44d5-a5d1-454b1220xxxx"      // seed 000
    let progressive = "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx"  // seed 001

    private func listRow(_ version: String, id: String, type: String = "voice") async throws -> JSONValue? {
        var request = Fixture.request("POST", version, id: "getAllCampaignDetails", type: nil,
                                      body: .object(["type": .string(type), "limit": .int(100)]))
        request.query = version == "v2" ? "accountId=\(Fixture.tenant.accountId)" : nil
        request.target = request.query.map { "\(request.path)?\($0)" } ?? request.path
        let response = await simulator.handle(request)
        #expect(response.status == 200)
        let rows = try #require(Fixture.json(response)?["data"]?["results"]?.arrayValue)
        return rows.first { ($0["_id"] ?? $0["id"]) == .string(id) }
    }

    private func get(_ version: String, _ id: String) async throws -> JSONValue {
        try #require(Fixture.json(await simulator.handle(Fixture.request("GET", version, id: id, type: nil)))?["data"])
    }

    @Test(arguments: ["v1", "v2"])
    func theQueueIsStoredShownOnlyAsTheListsConnectionAndKeptWhenAPutLeavesItOut(version: String) async throws {
        #expect(try await listRow(version, id: preview)?["connection"] == .string(SeedCampaigns.defaultQueue))
        var body = Fixture.voiceUpdateBody(v2: version == "v2")
        body["queue_name"] = .string("Collections")
        #expect(await simulator.handle(Fixture.request("PUT", version, id: preview, body: .object(body))).status == 200)
        #expect(try await get(version, preview)["queue_name"] == nil, "Kore.ai never echoes queue_name")
        #expect(try await listRow(version, id: preview)?["connection"] == .string("Collections"))
        body["queue_name"] = nil
        body["priority"] = .string("2")
        let kept = await simulator.handle(Fixture.request("PUT", version, id: preview, body: .object(body)))
        #expect(kept.status == 200, "\(Fixture.errorMessages(kept))")
        #expect(try await listRow(version, id: preview)?["connection"] == .string("Collections"))
        #expect(try await get(version, preview)["priority"] == .string("2"))
    }

    @Test func aProgressiveRecordWithoutAnyQueueNeedsOne() async throws {
        var create = Fixture.voiceUpdateBody(name: "No Queue Yet")
        create["dialingMode"] = .string("Agentless")
        create["experienceFlowName"] = .string("Voice Flow 2")
        create["maxSkips"] = nil
        create["queue_name"] = nil
        var request = Fixture.request("POST", "v1", id: "x", body: .object(create))
        request.path = "/agentassist/api/v1/public/\(Fixture.tenant.streamId)/campaign"
        request.target = request.path + "?campaignType=voice"
        request.query = "campaignType=voice"
        let created = await simulator.handle(request)
        #expect(created.status == 200, "\(Fixture.errorMessages(created))")
        let id = try #require(Fixture.json(created)?["data"]?["id"]?.stringValue)
        var progressive = Fixture.voiceUpdateBody()
        progressive["dialingMode"] = .string("Progressive")
        progressive["queue_name"] = nil
        let refused = await simulator.handle(Fixture.request("PUT", "v1", id: id, body: .object(progressive)))
        #expect(refused.status == 400)
        #expect(Fixture.errorMessages(refused).contains("queue_name is required for Progressive and Preview campaigns"))
    }

    @Test func theExperienceFlowIsWrittenByNameAndShownById() async throws {
        var body = Fixture.voiceUpdateBody()
        body["dialingMode"] = .string("Agentless")
        body["experienceFlowName"] = .string("Voice Flow 2")
        body["queue_name"] = nil
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: preview, body: .object(body))).status == 200)
        let read = try await get("v1", preview)
        #expect(read["experienceFlowName"] == nil)
        #expect(read["experienceFlow"] == .string(ExperienceFlowID.id(forName: "Voice Flow 2")))
        #expect(read["experienceFlow"]?.stringValue?.hasPrefix("cf-") == true)
        #expect(try await listRow("v1", id: preview)?["connection"] == .string("Voice Flow 2"))
        body["experienceFlowName"] = nil
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: preview, body: .object(body))).status == 200)
        #expect(try await get("v1", preview)["experienceFlow"] == read["experienceFlow"])
        #expect(try await listRow("v1", id: preview)?["connection"] == .string("Voice Flow 2"))
    }

    @Test func anEmptyDNCListSaysThereIsNone() async throws {
        var body = Fixture.voiceUpdateBody(v2: true)
        body["dncLists"] = .array([])
        let response = await simulator.handle(Fixture.request("PUT", "v2", id: progressive, body: .object(body)))
        #expect(response.status == 200, "\(Fixture.errorMessages(response))")
        #expect(try await get("v2", progressive)["dncLists"] == .null)
        body["dncLists"] = nil
        let missing = await simulator.handle(Fixture.request("PUT", "v2", id: progressive, body: .object(body)))
        #expect(Fixture.errorMessages(missing).contains("dncLists is required and must be an object (or [] for none)"))
    }

    @Test func fieldsOneVersionCannotSeeSurviveItsPut() async throws {
        // v1 cannot see v2's useSystemMappings; v2 cannot see machine detection.
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: progressive, body: .object(Fixture.voiceUpdateBody()))).status == 200)
        #expect(try await get("v2", progressive)["dialingStrategy"]?["useSystemMappings"] == .bool(false))
        var detect = Fixture.voiceUpdateBody()
        detect["enableMachineDetect"] = .bool(true)
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: preview, body: .object(detect))).status == 200)
        #expect(await simulator.handle(Fixture.request("PUT", "v2", id: preview, body: .object(Fixture.voiceUpdateBody(v2: true)))).status == 200)
        #expect(try await get("v1", preview)["enableMachineDetect"] == .bool(true))
        #expect(try await get("v2", preview)["enableMachineDetect"] == nil)
    }
}
