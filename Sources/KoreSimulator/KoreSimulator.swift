import Glibc
import HTTPServer
import JSONCore
import Synchronization

/// A faithful in-memory stand-in for Kore.ai's campaign API, for the gateway's demo and end-to-end tests.
///
/// It serves both URL schemes (v1 `/agentassist/api/v1/public/...`, v2 `/campaign/api/v2/public/...`) for every tenant,
/// checks what Kore.ai checks (the `auth`, `iid` and `accountId` headers, the JWT's signature, `appId`, `exp`, `jti`
/// replay when enforced, v2's `accountId` query), keeps campaigns per tenant seeded from Kore.ai's sample bodies, answers
/// in each version's shape and error format, enforces Kore.ai's 60 calls per account in any 60 s (429 with Kore.ai's
/// message; `requestsPerMinutePerAccount` changes or lifts it), and can be told to misbehave (`inject`). A control API under `/__sim/`
/// does the same for out-of-process use (`kore-sim`).
///
/// Thread-safe: all state sits behind one mutex, so the handler can serve any number of connections at once.
public final class KoreSimulator: HTTPHandler, Sendable {
    /// The path prefix of the control API; such requests are neither logged as calls nor subject to faults.
    static let controlPrefix = "/__sim/"

    /// Kore.ai's documented limit: 60 requests per minute per account.
    public static let koreRequestsPerMinutePerAccount = 60

    private let tenantsByStream: [String: SimulatorTenant]
    private let streamIds: [String]
    private let clock: @Sendable () -> Int
    private let rateClock: @Sendable () -> Double
    private let endpoint: SimulatedCampaignEndpoint
    private let state: Mutex<SimulatorState>
    /// Calls per account in any 60 s; nil: no limit (load tests).
    private let rateLimit: Mutex<Int?>

    /// Creates a simulator serving `tenants`, each with its own copy of the seed campaigns.
    ///
    /// - Parameters:
    ///   - tenants: the apps Kore.ai knows; a stream id used twice keeps its first tenant.
    ///   - clock: seconds since the Unix epoch, for `exp`/`iat` checks and `updatedAt`; injectable for tests.
    ///   - requestsPerMinutePerAccount: Kore.ai's limit, enforced in any 60-second window (429 beyond it); nil lifts
    ///     it (load tests). Default 60, Kore.ai's.
    ///   - rateClock: monotonic seconds for that window; injectable for tests.
    public init(tenants: [SimulatorTenant], clock: @escaping @Sendable () -> Int = { Int(time(nil)) },
                requestsPerMinutePerAccount: Int? = KoreSimulator.koreRequestsPerMinutePerAccount,
                rateClock: @escaping @Sendable () -> Double = KoreSimulator.monotonicSeconds) {
        var byStream: [String: SimulatorTenant] = [:]
        var order: [String] = []
        for tenant in tenants where byStream[tenant.streamId] == nil {
            byStream[tenant.streamId] = tenant
            order.append(tenant.streamId)
        }
        self.tenantsByStream = byStream
        self.streamIds = order
        self.clock = clock
        self.rateClock = rateClock
        self.rateLimit = Mutex(requestsPerMinutePerAccount.map { max(1, $0) })
        self.endpoint = SimulatedCampaignEndpoint(authenticator: RequestAuthenticator(tenants: byStream))
        self.state = Mutex(SimulatorState(streamIds: order))
    }

    /// Answers one request: the control API under `/__sim/`, otherwise Kore.ai's campaign API (faults applied first).
    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if request.path.hasPrefix(Self.controlPrefix) {
            return handleControl(request)
        }
        let call = SimulatedCall(method: request.method, path: request.path, query: request.query,
                                 headers: request.headers.fields.map { ($0.name, $0.value) },
                                 body: request.body, responseStatus: 0, receivedAt: rateClock())
        // Logged on arrival, so the log keeps arrival order even when a delayed call finishes after a later one.
        let (sequence, step) = state.withLock { state in
            (state.log.begin(call), state.faults.next())
        }
        if step.delayMilliseconds > 0 {
            try? await Task.sleep(for: .milliseconds(step.delayMilliseconds))
        }
        let now = clock()
        let account = request.headers["iid"].flatMap { tenantsByStream[$0]?.accountId }
        let limit = rateLimit.withLock { $0 }
        let response: HTTPResponse = state.withLock { state in
            // Kore.ai's limiter stands in front of everything else; calls it turns away do not count.
            if let account, let limit, let wait = state.rate.admit(account: account, now: call.receivedAt, limit: limit) {
                let answer = KoreError.rateLimited(retryAfterSeconds: Int(wait.rounded(.up)))
                state.log.complete(sequence, status: answer.status)
                return answer
            }
            let answer = step.replacement?.replacementResponse ?? respondToCampaignCall(request, state: &state, now: now)
            state.log.complete(sequence, status: answer.abortsConnection ? 0 : answer.status)
            return answer
        }
        return response
    }

    /// Applies `fault` to the next `count` campaign API calls (nil = until `clearFaults()`).
    ///
    /// Latency faults and the other faults are queued separately, so a call can be delayed and then fail; within each
    /// queue, faults apply in the order they were injected. A count below 1 does nothing.
    public func inject(_ fault: SimulatedFault, count: Int? = 1) {
        state.withLock { $0.faults.add(fault, count: count) }
    }

    /// Changes Kore.ai's limit (calls per account in any 60 s); nil lifts it. Calls already counted stay counted.
    public func setRequestsPerMinutePerAccount(_ limit: Int?) {
        rateLimit.withLock { $0 = limit.map { max(1, $0) } }
    }

    /// The limit in force; nil when lifted.
    public var requestsPerMinutePerAccount: Int? { rateLimit.withLock { $0 } }

    @Sendable public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Removes every pending fault.
    public func clearFaults() {
        state.withLock { $0.faults.clear() }
    }

    /// Puts every tenant's store back to the seeds and clears faults, the call log and the seen jtis.
    public func reset() {
        let ids = streamIds
        state.withLock { $0 = SimulatorState(streamIds: ids) }
    }

    /// The campaign API calls received, in arrival order (the most recent 10,000; control API calls are not included).
    public var calls: [SimulatedCall] {
        state.withLock { $0.log.calls }
    }

    /// How many campaign API calls were received since start or the last `reset()`.
    public var callCount: Int {
        state.withLock { $0.log.totalCount }
    }

    /// The ids of the campaigns a tenant currently holds (sorted), or nil for an unknown stream id.
    public func campaignIds(streamId: String) -> [String]? {
        state.withLock { $0.stores[streamId]?.ids }
    }

    /// The campaign a tenant holds under `id`, as Kore.ai stores it (every member, including those no answer shows),
    /// or nil. For tests that compare what a write left behind.
    public func storedCampaign(streamId: String, id: String) -> JSONObject? {
        state.withLock { $0.stores[streamId]?.record(id: id)?.fields }
    }

    /// Stores a campaign document (Kore.ai's member names, a string `_id`) of `type` ("voice" or "sms") for a tenant,
    /// replacing any record with that id. False when the tenant, the type or the `_id` is missing. For tests that need
    /// records beyond the seeds (Kore.ai's other sample bodies).
    @discardableResult
    public func storeCampaign(streamId: String, type: String, document: JSONObject) -> Bool {
        guard let type = SimulatedCampaignType(queryValue: type), let record = CampaignRecord(document: document, type: type) else {
            return false
        }
        return state.withLock { state in
            guard state.stores[streamId] != nil else { return false }
            state.stores[streamId]?.put(record)
            return true
        }
    }

    /// The answer of the campaign API proper, with the lock held.
    private func respondToCampaignCall(_ request: HTTPRequest, state: inout SimulatorState, now: Int) -> HTTPResponse {
        guard let route = SimulatedRoute.match(path: request.path) else {
            return KoreError.routeNotFound.response
        }
        return endpoint.respond(to: request, route: route, state: &state, now: now)
    }

    /// Runs `body` with the state locked; for the control API extension.
    func withState<T: Sendable>(_ body: (inout SimulatorState) -> T) -> T {
        state.withLock { body(&$0) }
    }
}
