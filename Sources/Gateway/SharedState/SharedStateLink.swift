import GatewayCrypto
import JSONCore
import RedisClient
import Synchronization
import Transport

/// The one connection to shared state that both Redis-backed stores (`RedisPacingStore`, `RedisIdempotencyStore`)
/// go through: it owns the `RedisClient`, the key prefix, the per-command timeout, and the breaker that decides
/// whether a decision goes to Redis or to a store's fallback (`SharedStateBreaker`).
///
/// - A call that fails (Redis unreachable, the password refused, an error reply, an answer that cannot be read,
///   slower than `timeoutSeconds`) costs its request at most the timeout, once: the breaker opens and later calls
///   go straight to the fallback. The change is logged once each way (`shared_state_down`, `shared_state_up`) and
///   shown by `campaign_gateway_shared_state_up`.
/// - While down, probes run in the background (a task of the link's own, after a jittered backoff), never on a
///   request. A probe is a `PING` followed by each store's resync (the pacing store puts the slots it granted in
///   its fallback into Redis); only when all of it succeeds are decisions shared again.
/// - The gateway starts and serves with Redis unreachable: the first failure sends it to the fallback.
/// - While up, a watcher looks at Redis every `watchIntervalSeconds` (one `SET ... GET` of a marker key of this
///   process's own): an outage shows on `/readyz` and `/metrics` without waiting for traffic, and a marker gone
///   missing means Redis lost its data (restarted empty, flushed) without this process seeing it down: the
///   resyncs run then, so an idle replica's calls still in the window count again within about that interval.
public final class SharedStateLink: Sendable {
    public let client: RedisClient
    /// Put in front of every key (`cgw:` by default), so that several gateways or other tenants can share a Redis.
    public let keyPrefix: String
    /// The longest a request waits for Redis, once per outage.
    public let timeoutSeconds: Double
    /// Random per process: names this replica's slots in the shared logs (a slot's member must be unique).
    public let replicaID: String

    let logs: LogSink
    let metrics: SharedStateMetrics
    let clock: @Sendable () -> Double
    private let random: @Sendable () -> Double
    private let backgroundProbes: Bool
    private let watchIntervalSeconds: Double

    /// What must run, after a successful `PING`, before decisions are shared again; each answers nil or why not.
    typealias Resync = @Sendable () async -> String?

    private struct State {
        var breaker: SharedStateBreaker
        var prober: Task<Void, Never>?
        var watcher: Task<Void, Never>?
        /// Whether this process's marker has been written since the last resync: its absence then means data loss.
        var markerWritten = false
        var resyncs: [Resync] = []
        var isShutDown = false
    }
    private let state: Mutex<State>

    /// `clock` in seconds (monotonic); `backgroundProbes` false leaves probing and watching to `probeIfDue()` and
    /// `watchOnce()` (tests with a manual clock drive them themselves).
    public init(client: RedisClient, keyPrefix: String, timeoutSeconds: Double, logs: LogSink, metrics: SharedStateMetrics,
                clock: @escaping @Sendable () -> Double = { MonotonicInstant.now().seconds },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                probeBackoff: (minimum: Double, maximum: Double) = (0.25, 2), watchIntervalSeconds: Double = 1,
                backgroundProbes: Bool = true) {
        self.client = client
        self.keyPrefix = keyPrefix
        self.timeoutSeconds = timeoutSeconds > 0 && timeoutSeconds.isFinite ? timeoutSeconds : 0.1
        self.logs = logs
        self.metrics = metrics
        self.clock = clock
        self.random = random
        self.backgroundProbes = backgroundProbes
        self.watchIntervalSeconds = watchIntervalSeconds > 0 && watchIntervalSeconds.isFinite ? watchIntervalSeconds : 1
        replicaID = SecureRandom.hexString(byteCount: 6)
        state = Mutex(State(breaker: SharedStateBreaker(now: clock(), minimumBackoff: probeBackoff.minimum,
                                                        maximumBackoff: probeBackoff.maximum)))
        metrics.attach(up: true)
    }

    // MARK: State for /readyz and /metrics

    /// What `/readyz` says of the shared state. Readiness does not depend on it: an outage must not take every
    /// replica out of the Service at once, and each one serves from its fallback meanwhile.
    public struct Status: Sendable, Equatable {
        public enum State: String, Sendable {
            /// Not heard from yet; decisions go to Redis.
            case connecting
            /// Decisions are shared.
            case up
            /// This process decides alone (its fallback) until a probe succeeds.
            case fallback
        }

        public var state: State
        /// Why the last call or probe failed, also after recovery (nil when nothing ever failed).
        public var lastError: String?
        /// How long the state has lasted.
        public var forSeconds: Double

        public var json: JSONValue {
            var object: JSONObject = ["state": .string(state.rawValue), "forSeconds": .int(Int(max(0, forSeconds)))]
            if let lastError { object["lastError"] = .string(lastError) }
            return .object(object)
        }
    }

    public var status: Status {
        let now = clock()
        return state.withLock { state in
            let breaker = state.breaker
            let kind: Status.State = switch breaker.state {
            case .unknown: .connecting
            case .up: .up
            case .down: .fallback
            }
            return Status(state: kind, lastError: breaker.lastError, forSeconds: now - breaker.since)
        }
    }

    /// Whether decisions go to Redis now (also before the first contact).
    public var isUp: Bool { state.withLock { $0.breaker.usesRedis } }

    // MARK: Calls for the stores

    /// Runs `body` against Redis unless the breaker is open; nil means "use the fallback": the breaker was open, or
    /// the call failed (which opens it). `body` throws `RedisError.protocolViolation` for a reply it cannot read.
    func perform<T>(_ body: (RedisClient, Double) async throws(RedisError) -> T) async -> T? {
        let (usesRedis, isShutDown) = state.withLock { ($0.breaker.usesRedis, $0.isShutDown) }
        // After `shutdown` the client refuses everything; that is no outage to log or count.
        guard usesRedis, !isShutDown else {
            if !isShutDown { startProber() }
            return nil
        }
        do {
            let value = try await body(client, timeoutSeconds)
            succeeded()
            return value
        } catch {
            failed(error.description)
            return nil
        }
    }

    /// Registers what a probe must do before decisions are shared again (the pacing store's replay).
    func addResync(_ resync: @escaping Resync) {
        state.withLock { $0.resyncs.append(resync) }
    }

    private func succeeded() {
        let now = clock()
        // The gauge changes under the lock, so that two transitions close together cannot leave it stale.
        // A command still in flight when a reload shut this link down must not move the gauge or log a change
        // for the link that replaced it.
        let transition = state.withLock { state -> SharedStateBreaker.Transition? in
            guard !state.isShutDown else { return nil }
            let transition = state.breaker.succeeded(now: now)
            if transition == .wentUp { metrics.set(up: true) }
            return transition
        }
        guard transition == .wentUp else { return }
        startWatcher()
        logs.event(.info, "shared_state_up", "Redis answers: pacing and Idempotency-Key records are shared with the other replicas",
                   [("redis", .string("\(client.configuration.endpoint)"))])
    }

    private func failed(_ error: String) {
        let now = clock()
        let draw = random()
        let transition = state.withLock { state -> SharedStateBreaker.Transition? in
            guard !state.isShutDown else { return nil }
            let transition = state.breaker.failed(error, now: now, unitRandom: draw)
            if transition == .wentDown { metrics.set(up: false) }
            return transition
        }
        guard transition == .wentDown else { return }
        logs.event(.warn, "shared_state_down",
                   "Redis cannot be used: this replica paces alone at its fallback share of each account's budget, and writes with an Idempotency-Key are refused (503) until Redis is back",
                   [("redis", .string("\(client.configuration.endpoint)")), ("error", .string(error))])
        startProber()
    }

    // MARK: Probes

    /// Runs one probe if one is due (the background prober calls it; tests with a manual clock call it directly).
    /// Returns whether the link is up afterwards.
    @discardableResult
    public func probeIfDue() async -> Bool {
        let now = clock()
        guard state.withLock({ $0.breaker.beginProbe(now: now) }) else { return isUp }
        let problem = await resync()
        let after = clock()
        if let problem {
            let draw = random()
            state.withLock { $0.breaker.probeFailed(problem, now: after, unitRandom: draw) }
            return false
        }
        // The resync just put everything back: the marker is written afresh at the next look, not missed.
        let transition = state.withLock { state -> SharedStateBreaker.Transition? in
            state.markerWritten = false
            let transition = state.breaker.probeSucceeded(now: after)
            if transition == .wentUp { metrics.set(up: true) }
            return transition
        }
        guard transition == .wentUp else { return isUp }
        logs.event(.info, "shared_state_up", "Redis answers again: pacing and Idempotency-Key records are shared with the other replicas",
                   [("redis", .string("\(client.configuration.endpoint)"))])
        return true
    }

    /// A `PING`, then every registered resync; nil when all succeeded.
    private func resync() async -> String? {
        do {
            let reply = try await client.send(["PING"], timeoutSeconds: timeoutSeconds)
            // Whatever answers must be Redis: anything else listening there is no end of the outage.
            guard reply.string == "PONG" else { return "PING answered \(String(describing: reply).prefix(100)), not PONG" }
        } catch {
            return error.description
        }
        for resync in state.withLock({ $0.resyncs }) {
            if let problem = await resync() { return problem }
        }
        return nil
    }

    /// Starts the background prober unless it runs, the link is up, or it is shut down. The prober sleeps until
    /// the next probe is due, probes, and ends once the link is up.
    private func startProber() {
        guard backgroundProbes else { return }
        state.withLock { state in
            guard state.prober == nil, !state.isShutDown, state.breaker.state == .down else { return }
            state.prober = Task { [self] in await self.probeLoop() }
        }
    }

    private func probeLoop() async {
        while !Task.isCancelled {
            let now = clock()
            // The decision to stop and the clearing of `prober` happen under one lock, so a failure arriving just
            // then either sees the prober still running or starts a new one.
            let wait: Double? = state.withLock { state in
                guard state.breaker.state == .down, !state.isShutDown else {
                    state.prober = nil
                    return nil
                }
                return max(0.005, (state.breaker.nextProbeAt ?? now) - now)
            }
            guard let wait else { return }
            if await !AccountPacer.taskSleep(wait) { return }
            await probeIfDue()
        }
    }

    /// The first contact, in the background: a `PING` through the breaker, so that `/readyz` and the log say
    /// "up" or "fallback" from the start rather than at the first paced call. Requests never wait for it.
    public func start() {
        Task { [self] in await watchOnce() }
        startWatcher()
    }

    // MARK: Watching for loss

    /// This process's marker: present while Redis keeps what it was given since this process last wrote it.
    var markerKey: String { keyPrefix + "replica:" + replicaID }

    /// One look at Redis while up: writes the marker (kept ten minutes, rewritten on every look) and reads what it
    /// held. Missing after it was written: Redis lost its data, so the resyncs run (decisions stay shared
    /// meanwhile). A failure is an outage like any other. Does nothing while down (the prober has that job).
    public func watchOnce() async {
        let previous = await perform { client, timeout throws(RedisError) -> RedisReply in
            try await client.send(["SET", RedisArgument(markerKey), "1", "PX", "600000", "GET"], timeoutSeconds: timeout)
        }
        guard let previous else { return }
        let lost = state.withLock { state -> Bool in
            defer { state.markerWritten = true }
            return state.markerWritten && previous.isNull
        }
        guard lost else { return }
        logs.event(.warn, "shared_state_lost", "Redis lost this replica's data (restarted empty or flushed): its recent calls are put back into the shared windows")
        for resync in state.withLock({ $0.resyncs }) {
            if let problem = await resync() {
                failed(problem)
                return
            }
        }
    }

    /// Starts the watcher unless it runs or the link is shut down; it looks every `watchIntervalSeconds` while up.
    private func startWatcher() {
        guard backgroundProbes else { return }
        state.withLock { state in
            guard state.watcher == nil, !state.isShutDown else { return }
            state.watcher = Task { [self] in
                while !Task.isCancelled {
                    if await !AccountPacer.taskSleep(watchIntervalSeconds) { return }
                    if isUp { await watchOnce() }
                }
            }
        }
    }

    // MARK: Operator checks

    /// One `PING` through the configured connection (URL, TLS, `AUTH`, `SELECT`), for `check-config`; it does not
    /// touch the breaker.
    public func ping() async -> Result<Void, RedisError> {
        do {
            let reply = try await client.send(["PING"], timeoutSeconds: max(timeoutSeconds, 1))
            guard reply.string == "PONG" else { return .failure(.protocolViolation("PING answered \(reply) instead of PONG")) }
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// What Redis does when it is full. The pacing logs and the idempotency records must not be evicted (a lost
    /// log forgets calls, a lost record runs a write twice): Redis must run under `noeviction`, or be an instance
    /// of its own with room to spare.
    public enum EvictionCheck: Sendable, Equatable {
        /// `maxmemory-policy` is `noeviction`.
        case noEviction
        /// Keys may be evicted under this policy (`maxmemory` 0 means no limit is set now).
        case evicts(policy: String, maxmemoryBytes: Int64?)
        /// `CONFIG GET` is not allowed (an ACL without `+config`, a managed Redis that renames it): unknown.
        case notAllowed(String)
        /// Redis did not answer.
        case unreachable(String)

        /// A line for the operator (`check-config`, the start-up log).
        public var message: String {
            switch self {
            case .noEviction:
                "Redis's maxmemory-policy is noeviction: the shared pacing logs and Idempotency-Key records are never evicted"
            case .evicts(let policy, let maxmemory):
                "Redis's maxmemory-policy is \(policy)"
                    + (maxmemory == 0 ? " (no maxmemory set now)" : "")
                    + ": when Redis fills up it may evict the pacing logs (calls forgotten, so Kore.ai's budget can be exceeded) and Idempotency-Key records (a retried write runs twice); set maxmemory-policy noeviction or give the gateway a Redis of its own"
            case .notAllowed(let reason):
                "cannot read Redis's maxmemory-policy (\(reason)); make sure it is noeviction, or that the gateway has a Redis of its own"
            case .unreachable(let reason):
                "cannot check Redis's maxmemory-policy: \(reason)"
            }
        }

        /// Whether this is fine as it is.
        public var isSafe: Bool { self == .noEviction }
    }

    /// `CONFIG GET maxmemory-policy` (and `maxmemory`); it does not touch the breaker.
    public func checkEviction() async -> EvictionCheck {
        let replies: [RedisReply]
        do {
            replies = try await client.pipeline([["CONFIG", "GET", "maxmemory-policy"], ["CONFIG", "GET", "maxmemory"]],
                                                timeoutSeconds: max(timeoutSeconds, 1))
        } catch {
            return .unreachable(error.description)
        }
        guard replies.count == 2 else { return .unreachable("CONFIG GET answered \(replies.count) replies") }
        if case .error(let message) = replies[0] { return .notAllowed(message) }
        guard let pair = replies[0].array, pair.count == 2, let policy = pair[1].string else {
            return .notAllowed("CONFIG GET maxmemory-policy answered \(replies[0])")
        }
        guard policy != "noeviction" else { return .noEviction }
        let maxmemory = replies[1].array.flatMap { $0.count == 2 ? $0[1].string.flatMap { Int64($0) } : nil }
        return .evicts(policy: String(policy.prefix(64)), maxmemoryBytes: maxmemory)
    }

    /// Stops probing and closes the connections; calls after it go to the fallback.
    public func shutdown() async {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.isShutDown = true
            let tasks = [state.prober, state.watcher].compactMap { $0 }
            state.prober = nil
            state.watcher = nil
            return tasks
        }
        for task in tasks { task.cancel() }
        await client.shutdown()
    }
}
