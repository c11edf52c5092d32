import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// PUT: each version's answer shape (seed 004 for v1), the stored record after a round trip, and Kore.ai's validation.
@Suite struct UpdateTests {
    let simulator = Fixture.simulator()
    let voiceId = "cd-2129073-58d9-44d5-a5d1-454b1220xxxx"
    let seed004 = "cd-dcebc67-d981-4469-b220-5a4ea567xxxx"

    @Test func v1AnswersInSeed004sShape() async throws {
        let body = Fixture.voiceUpdateBody(name: "Billing Reminder Voice Campaign")
        let response = await simulator.handle(Fixture.request("PUT", "v1", id: seed004, body: .object(body)))
        #expect(response.status == 200)
        let json = try #require(Fixture.json(response))
        let top = try #require(json.objectValue)
        #expect(top.keys == ["status", "message", "id", "data"])
        #expect(json["message"] == .string("Campaign Billing Reminder Voice Campaign details updated successfully"))
        #expect(json["id"] == .string(seed004))
        let data = try #require(json["data"]?.objectValue)
        #expect(data["id"] == .string(seed004))
        #expect(data["_id"] == nil)
        #expect(data["campaignType"] == nil)
        #expect(data["queue_name"] == nil)
        #expect(data["lname"] == .string("billing reminder voice campaign"))
        #expect(data["status"] == .string("Ready"))
        #expect(data["createdAt"] == .string("2025-06-26T11:04:17.130Z"))
        #expect(data["updatedAt"] == .string("2025-06-15T15:06:40.000Z"))
        #expect(data["priority"] == .string("4"))
        #expect(data["dncLists"] == nil && data["isFiltersEnabled"] == nil)
    }

    @Test func v2AnswersWithUnderscoreIdAndV2Fields() async throws {
        let body = Fixture.voiceUpdateBody(name: "Renamed Voice", v2: true)
        let response = await simulator.handle(Fixture.request("PUT", "v2", id: voiceId, body: .object(body)))
        #expect(response.status == 200, "\(Fixture.errorMessages(response))")
        let json = try #require(Fixture.json(response))
        #expect(json.objectValue?.keys == ["status", "message", "data"])
        #expect(json["message"] == .string("Campaign Renamed Voice details updated successfully"))
        #expect(json["data"]?["_id"] == .string(voiceId))
        #expect(json["data"]?["id"] == nil)
        #expect(json["data"]?["dncLists"]?["name"] == .string("DNC"))
        #expect(json["data"]?["isFiltersEnabled"] == .bool(false))
        #expect(json["data"]?["campaignInstanceId"] == .string("cid-700c76d-6bb6-47ce-b2d0-58541769xxxx"))
    }

    @Test func roundTripReplacesWritableFieldsAndKeepsTheRest() async throws {
        var body = Fixture.voiceUpdateBody(name: "Fresh Name")
        body["status"] = .string("Running")          // read-only: ignored
        body["createdAt"] = .string("1999-01-01")     // read-only: ignored
        body["_id"] = .string("cd-hijack")           // read-only: ignored
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: voiceId, body: .object(body))).status == 200)
        let read = try #require(Fixture.json(await simulator.handle(Fixture.request("GET", "v1", id: voiceId, type: nil))))
        let data = try #require(read["data"])
        #expect(data["_id"] == .string(voiceId))
        #expect(data["name"] == .string("Fresh Name"))
        #expect(data["lname"] == .string("fresh name"))
        #expect(data["status"] == .string("Stopped"))
        #expect(data["createdAt"] == .string("2025-06-26T09:11:00.612Z"))
        #expect(data["updatedAt"] == .string("2025-06-15T15:06:40.000Z"))
        #expect(data["campaignInstanceId"] == .string("cid-700c76d-6bb6-47ce-b2d0-58541769xxxx"))
        #expect(data["dialingStrategy"]?["callingHours"]?["days"]?.arrayValue?.count == 1)
        #expect(data["campaignType"] == nil)
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId)?.contains("cd-hijack") == false)
    }

    @Test func v1UpdateKeepsAV2RecordsDncList() async throws {
        let id = "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx"  // seed 001 carries dncLists
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: id, body: .object(Fixture.voiceUpdateBody()))).status == 200)
        let v2 = try #require(Fixture.json(await simulator.handle(Fixture.request("GET", "v2", id: id, type: nil))))
        #expect(v2["data"]?["dncLists"]?["name"] == .string("DNC CL Dec 4"))
    }

    @Test(arguments: ["v1", "v2"]) func smsUpdate(version: String) async throws {
        let id = Fixture.smsSeeds[1]
        let response = await simulator.handle(Fixture.request("PUT", version, id: id, type: "sms",
                                                              body: .object(Fixture.smsUpdateBody())))
        #expect(response.status == 200, "\(Fixture.errorMessages(response))")
        let json = try #require(Fixture.json(response))
        #expect(json["data"]?["message"]?["message"] == .string("SGVsbG8="))
        #expect(json["data"]?["isImported"] == (version == "v2" ? .bool(false) : nil))
    }

    @Test func updateOfTheWrongTypeIs404BeforeBodyValidation() async {
        let response = await simulator.handle(Fixture.request("PUT", "v1", id: voiceId, type: "sms", body: .object([:])))
        #expect(response.status == 404)
    }

    @Test func everyProblemIsListed() async {
        let body: JSONObject = [
            "name": .string(String(repeating: "n", count: 49)),
            "contactLists": .array([]),
            "priority": .int(5),
            "dialingMode": .string("preview"),
            "campaignType": .string("sms"),
        ]
        let response = await simulator.handle(Fixture.request("PUT", "v2", id: voiceId, body: .object(body)))
        #expect(response.status == 400)
        let messages = Fixture.errorMessages(response)
        #expect(messages.count == 7, "\(messages)")
        for fragment in ["campaignType", "name", "contactLists", "priority", "dialingStrategy", "dialingMode", "dncLists"] {
            #expect(messages.contains { $0.hasPrefix(fragment) }, "missing \(fragment) in \(messages)")
        }
        #expect(Fixture.json(response)?["errors"]?.arrayValue?.allSatisfy { $0["code"] == .int(400) } == true)
    }

    @Test func missingCampaignTypeInTheBodyIsRefused() async {
        var body = Fixture.voiceUpdateBody()
        body["campaignType"] = nil
        let response = await simulator.handle(Fixture.request("PUT", "v1", id: voiceId, body: .object(body)))
        #expect(response.status == 400)
        #expect(Fixture.errorMessages(response) == ["campaignType is required"])
    }

    @Test func enumsMustBeInKoreAisSpelling() async {
        var body = Fixture.voiceUpdateBody()
        body["dialingStrategy"] = .object(["callingHours": .object(["frequency": .string("weekly"),
                                                                    "days": .array([.object(["day": .string("Monday")])])]),
                                           "dialingOrder": .string("fifo")])
        let messages = Fixture.errorMessages(await simulator.handle(Fixture.request("PUT", "v1", id: voiceId, body: .object(body))))
        #expect(messages.count == 3, "\(messages)")
    }

    @Test func machineDetectionFollowsEachVersionsRule() async {
        var v1 = Fixture.voiceUpdateBody()
        v1["enableMachineDetect"] = .string("detect")
        #expect(await simulator.handle(Fixture.request("PUT", "v1", id: voiceId, body: .object(v1))).status == 400)

        var v2Preview = Fixture.voiceUpdateBody(v2: true)
        v2Preview["enableMachineDetect"] = .string("no")
        #expect(await simulator.handle(Fixture.request("PUT", "v2", id: voiceId, body: .object(v2Preview))).status == 400)

        var v2Agentless = Fixture.voiceUpdateBody(v2: true)
        v2Agentless["dialingMode"] = .string("Agentless")
        v2Agentless["enableMachineDetect"] = .string("disconnect")
        #expect(await simulator.handle(Fixture.request("PUT", "v2", id: voiceId, body: .object(v2Agentless))).status == 200)
        v2Agentless["enableMachineDetect"] = .bool(true)
        #expect(await simulator.handle(Fixture.request("PUT", "v2", id: voiceId, body: .object(v2Agentless))).status == 400)
    }

    @Test func bodyMustBeAJSONObjectSentAsJSON() async {
        var notJSON = Fixture.request("PUT", "v1", id: voiceId)
        notJSON.body = Array("name=x".utf8)
        #expect(Fixture.errorMessages(await simulator.handle(notJSON)) == ["Request body is not valid JSON"])
        var array = Fixture.request("PUT", "v1", id: voiceId, body: .array([]))
        #expect(await simulator.handle(array).status == 400)
        array.headers.replace("Content-Type", "text/plain")
        #expect(Fixture.errorMessages(await simulator.handle(array)).first?.contains("Content-Type") == true)
        let charset = {
            var request = Fixture.request("PUT", "v1", id: voiceId, body: .object(Fixture.voiceUpdateBody()))
            request.headers.replace("content-type", "application/json; charset=utf-8")
            return request
        }()
        #expect(await simulator.handle(charset).status == 200)
    }
}
