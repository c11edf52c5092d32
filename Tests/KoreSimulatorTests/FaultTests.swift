import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// Injected faults replace (or delay) the answers of the next calls, then the simulator behaves again.
@Suite struct FaultTests {
    let simulator = Fixture.simulator()
    let id = Fixture.voiceSeeds[0]

    private func get() async -> HTTPResponse {
        await simulator.handle(Fixture.request("GET", "v2", id: id, type: nil))
    }

    @Test func statusFaultAnswersKoreAisErrorBodyOnceThenRecovers() async {
        simulator.inject(.status(503))
        let failed = await simulator.handle(Fixture.request("DELETE", "v1", id: id))
        #expect(failed.status == 503)
        #expect(Fixture.json(failed)?["errors"]?.arrayValue?.first?["code"] == .int(503))
        // The store was not touched by the failed call, and the next call is normal.
        #expect(await simulator.handle(Fixture.request("DELETE", "v1", id: id)).status == 200)
    }

    @Test func failureEnvelope() async throws {
        simulator.inject(.failureEnvelope(400))
        let response = await get()
        #expect(response.status == 400)
        let body = try #require(Fixture.json(response))
        #expect(body["status"] == .string("failure"))
        #expect(body["message"]?.stringValue?.isEmpty == false)
    }

    @Test func rateLimitedCarriesRetryAfter() async {
        simulator.inject(.rateLimited(retryAfterSeconds: 7))
        let response = await get()
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "7")
        #expect(Fixture.json(response)?["errors"] != nil)
    }

    @Test func dropConnectionAndGarbageBody() async {
        simulator.inject(.dropConnection)
        simulator.inject(.garbageBody)
        let dropped = await get()
        #expect(dropped.abortsConnection)
        let garbage = await get()
        #expect(garbage.status == 200)
        #expect(garbage.headers["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(Fixture.json(garbage) == nil)
        #expect(simulator.calls.map(\.responseStatus) == [0, 200])
    }

    @Test func latencyDelaysANormalAnswer() async {
        simulator.inject(.latency(milliseconds: 150))
        let clock = ContinuousClock()
        let start = clock.now
        let response = await get()
        #expect(response.status == 200)
        #expect(clock.now - start >= .milliseconds(150))
    }

    @Test func latencyCombinesWithAFailure() async {
        simulator.inject(.latency(milliseconds: 50), count: nil)
        simulator.inject(.status(500), count: 2)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await get().status == 500)
        #expect(await get().status == 500)
        #expect(await get().status == 200)
        #expect(clock.now - start >= .milliseconds(150))
        simulator.clearFaults()
        #expect(await get().status == 200)
    }

    @Test func faultsApplyInInjectionOrderWithTheirCounts() async {
        simulator.inject(.status(502), count: 2)
        simulator.inject(.status(504))
        simulator.inject(.status(500), count: 0)  // ignored
        #expect(await get().status == 502)
        #expect(await get().status == 502)
        #expect(await get().status == 504)
        #expect(await get().status == 200)
    }

    @Test func untilClearedAndReset() async {
        simulator.inject(.status(500), count: nil)
        for _ in 0..<5 { #expect(await get().status == 500) }
        simulator.clearFaults()
        #expect(await get().status == 200)
        simulator.inject(.status(500), count: nil)
        simulator.reset()
        #expect(await get().status == 200)
    }

    @Test func callsAreLoggedInOrderWithStatusesAndRawHeaders() async {
        _ = await get()
        simulator.inject(.status(500))
        _ = await simulator.handle(Fixture.request("DELETE", "v1", id: id))
        let calls = simulator.calls
        #expect(simulator.callCount == 2)
        #expect(calls.map(\.method) == ["GET", "DELETE"])
        #expect(calls.map(\.responseStatus) == [200, 500])
        #expect(calls[1].query == "campaignType=voice")
        #expect(calls[1].header("AUTH")?.split(separator: ".").count == 3)
    }
}
