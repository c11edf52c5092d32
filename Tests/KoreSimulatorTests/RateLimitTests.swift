import HTTPServer
import JSONCore
import Synchronization
import TestSupport
import Testing
@testable import KoreSimulator

/// Kore.ai's own limit, enforced by the simulator: 60 calls per account in any 60 s, 429 with Kore.ai's message
/// beyond it, refused calls not counted, accounts apart, and a limit that can be changed or lifted.
@Suite struct RateLimitTests {
    static let message = "You've exceeded the per-minute rate limit. Please wait for sometime before retrying."

    static func simulator(clock: ManualClock<Double>, limit: Int? = 60) -> KoreSimulator {
        KoreSimulator(tenants: [Fixture.tenant, Fixture.jtiTenant], clock: { Fixture.now },
                      requestsPerMinutePerAccount: limit, rateClock: clock.closure)
    }

    static func get(_ simulator: KoreSimulator, tenant: SimulatorTenant = Fixture.tenant) async -> HTTPResponse {
        await simulator.handle(Fixture.request("GET", "v2", id: Fixture.voiceSeeds[0], type: nil, tenant: tenant,
                                               token: tenant.enforceJti ? Fixture.token(for: tenant, jti: SecureRandomID.next()) : nil))
    }

    @Test func theSixtyFirstCallInAMinuteIs429WithKoreAisMessage() async throws {
        let clock = ManualClock<Double>(1000)
        let simulator = Self.simulator(clock: clock)
        for second in 0..<60 {
            clock.set(1000 + Double(second) * 0.5)
            #expect(await Self.get(simulator).status == 200, "call \(second)")
        }
        clock.set(1040)
        let refused = await Self.get(simulator)
        #expect(refused.status == 429)
        // The first call (at 1000 s) leaves the window at 1060 s.
        #expect(refused.headers["Retry-After"] == "20")
        let entry = try #require(Fixture.json(refused)?["errors"]?.arrayValue?.first)
        #expect(entry["msg"] == .string(Self.message) && entry["code"] == .int(429))
        // Another account has its own minute.
        #expect(await Self.get(simulator, tenant: Fixture.jtiTenant).status == 200)
        // Refused calls do not count: at 1060 s the first call has left, so exactly one more is admitted.
        for _ in 0..<5 { _ = await Self.get(simulator) }
        clock.set(1060)
        #expect(await Self.get(simulator).status == 200)
        #expect(await Self.get(simulator).status == 429)
        #expect(simulator.calls.filter { $0.responseStatus == 429 }.count == 7)
    }

    /// Random arrivals at random limits: the admitted calls never exceed the limit in any 60 s, and a refusal comes
    /// only when the window really is full.
    @Test(arguments: 0..<10)
    func admittedCallsHoldTheLimitInAnyWindow(seed: Int) async {
        var random = SeededGenerator(seed: UInt64(seed) &+ 99)
        let limit = 1 + random.below(8)
        let clock = ManualClock<Double>(0)
        let simulator = Self.simulator(clock: clock, limit: limit)
        var admitted: [Double] = []
        for _ in 0..<120 {
            clock.advance(random.below(4) == 0 ? Double(random.below(90)) : Double(random.below(3000)) / 1000)
            let now = clock.now
            let status = await Self.get(simulator).status
            let inWindow = admitted.filter { $0 > now - 60 }.count
            if status == 200 { admitted.append(now) }
            #expect(status == (inWindow < limit ? 200 : 429), "seed \(seed): \(inWindow) in the window, limit \(limit)")
        }
        for (i, start) in admitted.enumerated() {
            #expect(admitted[i...].prefix { $0 < start + 60 }.count <= limit)
        }
    }

    @Test func theLimitCanBeChangedOrLifted() async {
        let clock = ManualClock<Double>(0)
        let lifted = Self.simulator(clock: clock, limit: nil)
        for _ in 0..<200 { #expect(await Self.get(lifted).status == 200) }
        let simulator = Self.simulator(clock: clock, limit: 2)
        #expect(simulator.requestsPerMinutePerAccount == 2)
        #expect(await Self.get(simulator).status == 200)
        #expect(await Self.get(simulator).status == 200)
        #expect(await Self.get(simulator).status == 429)
        simulator.setRequestsPerMinutePerAccount(3)
        #expect(await Self.get(simulator).status == 200)
        simulator.setRequestsPerMinutePerAccount(nil)
        #expect(await Self.get(simulator).status == 200)
        // reset() forgets the counted calls along with everything else.
        simulator.setRequestsPerMinutePerAccount(1)
        simulator.reset()
        #expect(await Self.get(simulator).status == 200)
        #expect(await Self.get(simulator).status == 429)
    }
}

/// A fresh jti per call, for the tenant that enforces them.
enum SecureRandomID {
    static let counter = Atomic<Int>(0)
    static func next() -> String { "jti-\(counter.add(1, ordering: .relaxed).newValue)" }
}
