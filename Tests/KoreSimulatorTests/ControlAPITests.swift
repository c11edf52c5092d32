import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// `/__sim/...`: what `kore-sim` users have instead of `inject`, `reset` and `calls`.
@Suite struct ControlAPITests {
    let simulator = Fixture.simulator()
    let id = Fixture.voiceSeeds[0]

    private func get() async -> HTTPResponse {
        await simulator.handle(Fixture.request("GET", "v1", id: id, type: nil))
    }

    @Test func healthAnswersAndIsNotACall() async {
        let response = await simulator.handle(Fixture.control("GET", "health"))
        #expect(response.status == 200)
        #expect(Fixture.json(response)?["status"] == .string("ok"))
        #expect(simulator.callCount == 0)
    }

    @Test(arguments: [
        (#"{"fault":"status","status":500,"count":1}"#, 500),
        (#"{"fault":"failureEnvelope","status":400}"#, 400),
        (#"{"fault":"rateLimited","retryAfterSeconds":7}"#, 429),
        (#"{"fault":"garbageBody"}"#, 200),
        (#"{"fault":"latency","milliseconds":10}"#, 200),
    ])
    func postedFaultsApplyToTheNextCall(body: String, status: Int) async {
        #expect(await simulator.handle(Fixture.control("POST", "faults", body: body)).status == 200)
        let response = await get()
        #expect(response.status == status)
        #expect(await get().status == 200)
    }

    @Test func dropConnectionAndUntilCleared() async {
        #expect(await simulator.handle(Fixture.control("POST", "faults", body: #"{"fault":"dropConnection","count":null}"#)).status == 200)
        #expect(await get().abortsConnection)
        #expect(await get().abortsConnection)
        let pending = Fixture.json(await simulator.handle(Fixture.control("GET", "faults")))
        #expect(pending?.arrayValue?.first?["fault"] == .string("dropConnection"))
        #expect(pending?.arrayValue?.first?["count"] == .null)
        #expect(await simulator.handle(Fixture.control("DELETE", "faults")).status == 200)
        #expect(await get().status == 200)
    }

    @Test(arguments: [
        "", "[]", #"{"fault":"explode"}"#, #"{"fault":"status","status":200}"#, #"{"fault":"status"}"#,
        #"{"fault":"latency"}"#, #"{"fault":"status","status":500,"count":0}"#, #"{"fault":"rateLimited","retryAfterSeconds":-1}"#,
    ])
    func badFaultCommandsAre400(body: String) async {
        let response = await simulator.handle(Fixture.control("POST", "faults", body: body))
        #expect(response.status == 400)
        #expect(Fixture.errorMessages(response).isEmpty == false)
        #expect(await get().status == 200)
    }

    @Test func resetRestoresTheStore() async {
        #expect(await simulator.handle(Fixture.request("DELETE", "v1", id: id)).status == 200)
        #expect(await simulator.handle(Fixture.control("POST", "reset")).status == 200)
        #expect(await get().status == 200)
        #expect(simulator.callCount == 1)
    }

    @Test func callsListRedactsTheToken() async throws {
        _ = await simulator.handle(Fixture.request("PUT", "v2", id: id, body: .object(Fixture.voiceUpdateBody(v2: true))))
        let response = await simulator.handle(Fixture.control("GET", "calls"))
        #expect(response.status == 200)
        let calls = try #require(Fixture.json(response)?.arrayValue)
        #expect(calls.count == 1)
        let call = try #require(calls.first)
        #expect(call["method"] == .string("PUT"))
        #expect(call["path"] == .string("/campaign/api/v2/public/st-test-0001/campaign/\(id)"))
        #expect(call["query"] == .string("accountId=acct-test-0001&campaignType=voice"))
        #expect(call["status"] == .int(200))
        let headers = try #require(call["headers"]?.arrayValue)
        #expect(headers.contains(.array([.string("auth"), .string("[redacted]")])))
        #expect(headers.contains(.array([.string("iid"), .string("st-test-0001")])))
        #expect(!String(decoding: response.body, as: UTF8.self).contains("eyJ"))
        #expect(call["body"]?.stringValue?.contains("\"campaignType\":\"voice\"") == true)
    }

    @Test func unknownControlRoutesAndMethods() async {
        #expect(await simulator.handle(Fixture.control("GET", "nope")).status == 404)
        let wrong = await simulator.handle(Fixture.control("GET", "reset"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "POST")
    }
}
