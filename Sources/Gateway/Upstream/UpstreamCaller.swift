import Transport
import GatewayConfiguration
import HTTPServer
import Glibc
import KoreAdapter
import TextCoding

/// One logical upstream call: breaker, token, transport, and the few retries that are safe: only when the request
/// certainly did not reach Kore.ai's application (refused, DNS, TLS) or Kore.ai said 429/503, and once with a fresh
/// token after a 401/403. It never retries after an ambiguous failure; the deadline bounds every attempt together.
public struct UpstreamCaller: Sendable {
    public let transport: any UpstreamTransport
    public let timeoutSeconds: Double
    public let maxRetries: Int
    let observer: GatewayObserver?

    public init(transport: any UpstreamTransport, timeoutSeconds: Double, maxRetries: Int, observer: GatewayObserver? = nil) {
        self.transport = transport
        self.timeoutSeconds = timeoutSeconds
        self.maxRetries = maxRetries
        self.observer = observer
    }

    /// What happened, with how long the upstream part took (for the request log).
    public struct Outcome: Sendable {
        public var result: Result<UpstreamResponse, Problem>
        public var attempts: Int
        public var upstreamSeconds: Double
        /// The budgets the call's retries saw (`RetryPacing`'s account pacing records them), the last one kept.
        var pacing = PacingObservation()
    }

    /// How retries draw on Kore.ai's budget for the account (the first attempt was paced by the caller).
    public struct RetryPacing: Sendable {
        private enum Source: Sendable {
            /// The request's own pacer and account, each budget seen recorded for the answer's `RateLimit` fields
            /// (into the call's `Outcome`). Held as values rather than captured in closures: two closure contexts
            /// were allocated per request though retries are rare.
            case account(AccountPacer, String)
            case closures(slot: @Sendable (Double) async -> Bool, coolDown: @Sendable (Double) async -> Void)
        }

        private let source: Source

        /// `slot` takes a slot for one more call, sleeping until it when it is at most the given seconds away, and
        /// says false when the budget has none in time (the last answer then stands); `coolDown`: Kore.ai answered
        /// 429, no call for the account for the given seconds.
        public init(slot: @escaping @Sendable (Double) async -> Bool, coolDown: @escaping @Sendable (Double) async -> Void) {
            source = .closures(slot: slot, coolDown: coolDown)
        }

        init(pacer: AccountPacer, account: String) {
            source = .account(pacer, account)
        }

        /// Takes a slot for one more call (see `init(slot:coolDown:)`).
        nonisolated(nonsending) public func slot(_ maxWaitSeconds: Double) async -> Bool {
            var unused = PacingObservation()
            return await slot(maxWaitSeconds, recording: &unused)
        }

        /// Kore.ai answered 429: no call for the account for `seconds`.
        nonisolated(nonsending) public func coolDown(_ seconds: Double) async {
            var unused = PacingObservation()
            await coolDown(seconds, recording: &unused)
        }

        /// `slot`, the budget the account's pacer saw recorded in `seen`.
        nonisolated(nonsending) func slot(_ maxWaitSeconds: Double, recording seen: inout PacingObservation) async -> Bool {
            switch source {
            case .account(let pacer, let account):
                let outcome = await pacer.slot(account: account, maxWaitSeconds: maxWaitSeconds)
                seen.record(outcome.quota)
                if case .go = outcome { return true }
                return false
            case .closures(let slot, _):
                return await slot(maxWaitSeconds)
            }
        }

        /// `coolDown`, the budget the account's pacer saw recorded in `seen`.
        nonisolated(nonsending) func coolDown(_ seconds: Double, recording seen: inout PacingObservation) async {
            switch source {
            case .account(let pacer, let account):
                seen.record(await pacer.coolDown(account: account, seconds: seconds))
            case .closures(_, let coolDown):
                await coolDown(seconds)
            }
        }

        /// Every retry allowed, no cool-down kept (tests of the retry rule alone).
        public static let unlimited = RetryPacing(slot: { _ in true }, coolDown: { _ in })
    }

    /// `pacing` is asked before every retry: a retry spends Kore.ai's budget like any call. `resendable` marks a call
    /// that changes nothing (get, list, status): only such a call is sent again after its connection broke mid-answer.
    /// `deadline` (monotonic seconds) is what the request has left when several calls share its time; nil gives this
    /// call `timeoutSeconds` of its own.
    nonisolated(nonsending) public func call(tenant: TenantRuntime, deadline: Double? = nil, pacing: RetryPacing = .unlimited,
                                             resendable: Bool = false, build: (String) -> UpstreamRequest?) async -> Outcome {
        let start = MonotonicInstant.now().seconds
        let deadline = deadline ?? start + timeoutSeconds
        var attempts = 0
        var retriesLeft = maxRetries
        var refreshedToken = false
        var seen = PacingObservation()
        func finish(_ result: Result<UpstreamResponse, Problem>) -> Outcome {
            Outcome(result: result, attempts: attempts, upstreamSeconds: MonotonicInstant.now().seconds - start, pacing: seen)
        }
        // Built only when the call times out: its text is formatted, which costs more than a call that succeeds.
        func timeoutProblem() -> Problem {
            Problem(.upstreamTimeout, "no answer from Kore.ai within \(Self.format(timeoutSeconds)) s; the change may or may not have been applied", retryable: false)
        }
        // One permit per logical call: a half-open breaker's single trial must be able to retry without being
        // refused by its own "trial in flight" mark, and every path below records success or failure.
        if case .rejected(let retryAfter) = tenant.breaker.permit() {
            var problem = Problem(.upstreamUnavailable, "Kore.ai failed repeatedly; calls are paused briefly", status: 503, retryable: true)
            problem.headers.add("Retry-After", String(retryAfter))
            return finish(.failure(problem))
        }
        while true {
            let remaining = deadline - MonotonicInstant.now().seconds
            guard remaining > 0.001 else {
                guard attempts > 0 else {
                    // The read before this call used the request's time up: nothing was sent, and Kore.ai answered
                    // that read, so its health is not in question.
                    tenant.breaker.recordNeutral()
                    return finish(.failure(Problem(.upstreamTimeout, "the read before the change used up the \(Self.format(timeoutSeconds)) s for Kore.ai; the change was not sent", retryable: true)))
                }
                tenant.breaker.recordFailure()
                return finish(.failure(timeoutProblem()))
            }
            attempts += 1
            let token = tenant.tokens.token()
            guard let request = build(token) else {
                // No call for these arguments: a table bug, answered as such rather than sent anywhere.
                tenant.breaker.recordNeutral()
                return finish(.failure(Problem(.internalError, "no upstream route for this operation")))
            }
            let attemptStart = MonotonicInstant.now().seconds
            let result = await transport.send(request, timeoutSeconds: remaining)
            observer?.upstreamAttempt(tenant: tenant.config.name, tenantHash: tenant.nameHash, version: tenant.config.apiVersion.rawValue,
                                      outcome: Self.outcomeCode(result), seconds: MonotonicInstant.now().seconds - attemptStart)
            switch result {
            case .failure(.timeout):
                tenant.breaker.recordFailure()
                // A write that timed out may have been applied: as ambiguous as a lost connection.
                return finish(.failure(timeoutProblem()))
            case .failure(.responseTooLarge(let size)):
                tenant.breaker.recordFailure()
                return finish(.failure(Problem(.upstreamBadResponse, "Kore.ai's answer was too large to read (\(size) bytes); the change may or may not have been applied")))
            case .failure(.badResponse(let detail)):
                tenant.breaker.recordFailure()
                return finish(.failure(Problem(.upstreamBadResponse, "Kore.ai's answer could not be read (\(detail)); the change may or may not have been applied")))
            case .failure(.connectionLost):
                if resendable, retriesLeft > 0, await Self.backoff(attempt: attempts, until: deadline), await pacing.slot(0, recording: &seen) {
                    retriesLeft -= 1
                    continue
                }
                tenant.breaker.recordFailure()
                // The request may have been processed: the caller must check before sending it again.
                if resendable {
                    // A read changes nothing: trying again later can help.
                    return finish(.failure(Problem(.upstreamConnectionLost, "the connection to Kore.ai broke before an answer arrived, on every try", retryable: true)))
                }
                return finish(.failure(Problem(.upstreamConnectionLost, "the connection to Kore.ai broke before an answer arrived; the change may or may not have been applied", retryable: false)))
            case .failure(.unavailable(let detail)):
                // Certainly not delivered: retry with jittered backoff while the deadline and the budget allow.
                if retriesLeft > 0, await Self.backoff(attempt: attempts, until: deadline), await pacing.slot(0, recording: &seen) {
                    retriesLeft -= 1
                    continue
                }
                tenant.breaker.recordFailure()
                // The detail names the cause (refused, resolution, certificate, proxy) for the operator; it holds
                // host names, never a token.
                return finish(.failure(Problem(.upstreamUnavailable, "Kore.ai could not be reached: \(detail)")))
            case .failure(.proxyFailed(let detail)):
                if retriesLeft > 0, await Self.backoff(attempt: attempts, until: deadline), await pacing.slot(0, recording: &seen) {
                    retriesLeft -= 1
                    continue
                }
                // The proxy's own refusal or failure says nothing about Kore.ai: its breaker is not fed.
                tenant.breaker.recordNeutral()
                return finish(.failure(Problem(.upstreamUnavailable, "Kore.ai could not be reached through the egress proxy: \(detail)")))
            case .success(let response):
                if (response.status == 401 || response.status == 403) && !refreshedToken, await pacing.slot(0, recording: &seen) {
                    // Refused before processing: a fresh token and one more try. Only this token is
                    // dropped, so concurrent refusals do not each throw away the token another just minted.
                    refreshedToken = true
                    tenant.tokens.invalidate(token: token)
                    continue
                }
                if response.status == 429 {
                    // Kore.ai counts differently from the gateway (another client on the account, say): every call
                    // for the account waits out its Retry-After, or a whole window when it gave none.
                    let coolDown = Self.retryAfterSeconds(response.headers["retry-after"]) ?? Self.defaultCoolDownSeconds
                    await pacing.coolDown(coolDown, recording: &seen)
                    // The retry's slot comes after the cool-down; it is taken only when it fits in the deadline.
                    let room = deadline - 0.05 - MonotonicInstant.now().seconds
                    if retriesLeft > 0, coolDown < room, await pacing.slot(room, recording: &seen) {
                        retriesLeft -= 1
                        continue
                    }
                } else if response.status == 503, retriesLeft > 0 {
                    let wait = Self.retryAfterSeconds(response.headers["retry-after"]) ?? Self.jitteredDelay(attempt: attempts)
                    if MonotonicInstant.now().seconds + wait < deadline - 0.05 {
                        await Self.sleep(seconds: wait)
                        if await pacing.slot(0, recording: &seen) {
                            retriesLeft -= 1
                            continue
                        }
                    }
                }
                if response.status >= 500 { tenant.breaker.recordFailure() } else { tenant.breaker.recordSuccess() }
                return finish(.success(response))
            }
        }
    }

    /// The cool-down after a 429 without a usable Retry-After: Kore.ai's whole window.
    static let defaultCoolDownSeconds: Double = 60

    /// Delta-seconds (RFC 9110 10.2.3), clamped to 0...3600; HTTP-dates and garbage give nil (the caller's backoff).
    static func retryAfterSeconds(_ value: String?) -> Double? {
        guard let value, let seconds = Int(value.trimmingOWS()), seconds >= 0 else { return nil }
        return Double(min(seconds, 3600))
    }

    static func outcomeLabel(_ result: Result<UpstreamResponse, UpstreamTransportError>) -> String {
        outcomeLabel(code: outcomeCode(result))
    }

    /// The outcome as a number, for the metric's key: the HTTP status (the parser admits 100 to 999 only), or a
    /// negative code per failure. `outcomeLabel(code:)` spells it.
    static func outcomeCode(_ result: Result<UpstreamResponse, UpstreamTransportError>) -> Int {
        switch result {
        case .success(let response): return max(0, response.status)
        case .failure(.timeout): return -1
        case .failure(.unavailable): return -2
        case .failure(.proxyFailed): return -3
        case .failure(.connectionLost): return -4
        case .failure(.responseTooLarge): return -5
        case .failure(.badResponse): return -6
        }
    }

    static func outcomeLabel(code: Int) -> String {
        switch code {
        case -1: return "timeout"
        case -2: return "unavailable"
        case -3: return "proxy_failed"
        case -4: return "connection_lost"
        case -5: return "too_large"
        case -6: return "bad_response"
        default: return String(code)
        }
    }

    static func jitteredDelay(attempt: Int) -> Double {
        let base = 0.05 * Double(1 << min(attempt, 6))
        return base / 2 + Double.random(in: 0...(base / 2))
    }

    /// Sleeps a jittered backoff if it ends before the deadline; false when there is no time left for another try.
    static func backoff(attempt: Int, until deadline: Double) async -> Bool {
        let wait = jitteredDelay(attempt: attempt)
        guard MonotonicInstant.now().seconds + wait < deadline - 0.01 else { return false }
        await sleep(seconds: wait)
        return true
    }

    static func sleep(seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
