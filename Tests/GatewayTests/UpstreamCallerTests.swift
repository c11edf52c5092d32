import GatewayCrypto
import HTTPServer
import Foundation
@testable import Gateway
import KoreAdapter
import Synchronization
import TestSupport
import Testing
import GatewayConfiguration

/// `UpstreamCaller` with a scripted transport and a manual clock: retries, breaker trials, pacing of retries.
@Suite struct UpstreamCallerTests {
    /// Answers from a script, one per call; counts calls.
    final class ScriptedTransport: UpstreamTransport {
        private let script: Mutex<[Result<UpstreamResponse, UpstreamTransportError>]>
        private let count = Atomic<Int>(0)
        init(_ script: [Result<UpstreamResponse, UpstreamTransportError>]) { self.script = Mutex(script) }
        var calls: Int { count.load(ordering: .relaxed) }
        func send(_ request: UpstreamRequest, timeoutSeconds: Double) async -> Result<UpstreamResponse, UpstreamTransportError> {
            count.add(1, ordering: .relaxed)
            return script.withLock { $0.isEmpty ? .success(UpstreamResponse(status: 200)) : $0.removeFirst() }
        }
    }

    static func tenant(breaker: CircuitBreaker) -> TenantRuntime {
        TenantRuntime(config: GatewayConfig.Tenant(
            name: "t", baseURL: "http://127.0.0.1:1", apiVersion: .v1, streamId: "st", accountId: "a", clientId: "c",
            clientSecret: Array("s".utf8), secretSource: .value, algorithm: .hs256, tokenTTLSeconds: 300, enforceJti: false),
                      breaker: breaker)
    }

    static func build(_ token: String) -> UpstreamRequest {
        UpstreamRequest(method: "DELETE", url: "http://127.0.0.1:1/x", headers: [(name: "auth", value: token)], body: nil)
    }

    static func status(_ code: Int) -> Result<UpstreamResponse, UpstreamTransportError> { .success(UpstreamResponse(status: code)) }

    @Test func halfOpenTrialMayRetryWithAFreshTokenAndClosesTheBreaker() async {
        let clock = ManualClock<Double>(1000)
        let breaker = CircuitBreaker(threshold: 1, openSeconds: 30, clock: { clock.now })
        breaker.recordFailure()
        #expect(breaker.stateValue == 1)
        clock.advance(31)
        let transport = ScriptedTransport([Self.status(401), Self.status(200)])
        let caller = UpstreamCaller(transport: transport, timeoutSeconds: 60, maxRetries: 2)
        let outcome = await caller.call(tenant: Self.tenant(breaker: breaker), build: Self.build)
        #expect((try? outcome.result.get().status) == 200)
        #expect(transport.calls == 2)
        #expect(breaker.stateValue == 0)
        #expect(breaker.permit() == .allowed)
    }

    @Test func openBreakerRefusesWithoutCallingAndWithRetryAfter() async {
        let clock = ManualClock<Double>(1000)
        let breaker = CircuitBreaker(threshold: 1, openSeconds: 30, clock: { clock.now })
        breaker.recordFailure()
        let transport = ScriptedTransport([])
        let outcome = await UpstreamCaller(transport: transport, timeoutSeconds: 60, maxRetries: 2)
            .call(tenant: Self.tenant(breaker: breaker), build: Self.build)
        guard case .failure(let problem) = outcome.result else { Issue.record("expected a problem"); return }
        #expect(problem.httpStatus == 503 && problem.code == .upstreamUnavailable && problem.retryable == true)
        #expect(problem.headers["Retry-After"] == "30")
        #expect(transport.calls == 0)
    }

    @Test func retriesSpendThePacingBudget() async {
        let transport = ScriptedTransport([.failure(.unavailable("refused")), Self.status(200)])
        let outcome = await UpstreamCaller(transport: transport, timeoutSeconds: 60, maxRetries: 2)
            .call(tenant: Self.tenant(breaker: CircuitBreaker()), pacing: .init(slot: { _ in false }, coolDown: { _ in }), build: Self.build)
        guard case .failure(let problem) = outcome.result else { Issue.record("expected a problem"); return }
        #expect(problem.code == .upstreamUnavailable)
        #expect(transport.calls == 1)
    }

    @Test func unavailableIsRetriedWhenTheBudgetAllows() async {
        let transport = ScriptedTransport([.failure(.unavailable("refused")), Self.status(200)])
        let outcome = await UpstreamCaller(transport: transport, timeoutSeconds: 60, maxRetries: 2)
            .call(tenant: Self.tenant(breaker: CircuitBreaker()), build: Self.build)
        #expect((try? outcome.result.get().status) == 200)
        #expect(outcome.attempts == 2)
    }

    @Test(arguments: [UpstreamTransportError.timeout, .connectionLost("reset")])
    func ambiguousFailuresAreNeverRetriedAndNotRetryable(_ error: UpstreamTransportError) async {
        let transport = ScriptedTransport([.failure(error), Self.status(200)])
        let outcome = await UpstreamCaller(transport: transport, timeoutSeconds: 60, maxRetries: 2)
            .call(tenant: Self.tenant(breaker: CircuitBreaker()), build: Self.build)
        guard case .failure(let problem) = outcome.result else { Issue.record("expected a problem"); return }
        #expect(problem.retryable == false)
        #expect(transport.calls == 1)
    }

    @Test func retryAfterParsing() {
        #expect(UpstreamCaller.retryAfterSeconds("7") == 7)
        #expect(UpstreamCaller.retryAfterSeconds(" 7 ") == 7)
        #expect(UpstreamCaller.retryAfterSeconds("-3") == nil)
        #expect(UpstreamCaller.retryAfterSeconds("nan") == nil)
        #expect(UpstreamCaller.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(UpstreamCaller.retryAfterSeconds("999999999999") == 3600)
        #expect(UpstreamCaller.retryAfterSeconds("99999999999999999999999") == nil)
    }
}
