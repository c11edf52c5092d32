/// Whether the shared stores use Redis or their fallbacks: the pure state machine behind `SharedStateLink`, driven
/// by the time its caller passes (a manual clock in tests).
///
/// - `unknown` (nothing heard yet) and `up`: decisions go to Redis. One failure (unreachable, refused password, an
///   error reply, a reply that cannot be read, the timeout) turns it `down`: the call that failed costs at most
///   the command timeout once, and every decision after it goes straight to the fallback without touching Redis.
/// - `down`: a probe is due after a backoff (doubling from `minimumBackoff` to `maximumBackoff`, each drawn between
///   half and all of its value so replicas do not probe in step). One probe at a time; it runs off the request
///   path. Only a probe brings the state back `up` (after the pacing store has put its fallback slots into Redis):
///   a command that started before the outage and happens to succeed late proves nothing about the resync.
struct SharedStateBreaker: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case unknown, up, down
    }

    /// What a change of state asks the caller to do once: log it and update the gauge.
    enum Transition: Sendable, Equatable {
        case wentUp, wentDown
    }

    let minimumBackoff: Double
    let maximumBackoff: Double
    private(set) var state: State = .unknown
    /// Why the last call or probe failed (kept after recovery, for `/readyz`'s "last error").
    private(set) var lastError: String?
    /// When the current state began (the caller's clock).
    private(set) var since: Double
    private(set) var failedProbes = 0
    /// No probe before this while down.
    private(set) var nextProbeAt: Double?
    private(set) var probeInFlight = false

    init(now: Double, minimumBackoff: Double = 0.25, maximumBackoff: Double = 5) {
        self.minimumBackoff = max(0.001, minimumBackoff)
        self.maximumBackoff = max(self.minimumBackoff, maximumBackoff)
        since = now
    }

    /// Whether a decision may go to Redis now.
    var usesRedis: Bool { state != .down }

    /// A call to Redis answered: from `unknown` this is the first contact (`up`); while `down` nothing changes
    /// (only a probe, after the resync, ends an outage).
    mutating func succeeded(now: Double) -> Transition? {
        guard state == .unknown else { return nil }
        state = .up
        since = now
        return .wentUp
    }

    /// A call to Redis failed with `error`.
    mutating func failed(_ error: String, now: Double, unitRandom: Double) -> Transition? {
        lastError = error
        guard state != .down else { return nil }
        state = .down
        since = now
        failedProbes = 0
        nextProbeAt = now + backoff(unitRandom: unitRandom)
        return .wentDown
    }

    /// Starts a probe if one is due at `now` and none runs; the caller then reports `probeSucceeded` or
    /// `probeFailed`.
    mutating func beginProbe(now: Double) -> Bool {
        guard state == .down, !probeInFlight, let due = nextProbeAt, now >= due else { return false }
        probeInFlight = true
        return true
    }

    mutating func probeSucceeded(now: Double) -> Transition? {
        probeInFlight = false
        guard state == .down else { return nil }
        state = .up
        since = now
        failedProbes = 0
        nextProbeAt = nil
        return .wentUp
    }

    mutating func probeFailed(_ error: String, now: Double, unitRandom: Double) {
        probeInFlight = false
        lastError = error
        failedProbes = min(failedProbes + 1, 62)
        nextProbeAt = now + backoff(unitRandom: unitRandom)
    }

    /// The wait before the next probe: `minimumBackoff` doubled per failed probe, capped, jittered into [half, all].
    private func backoff(unitRandom: Double) -> Double {
        var full = minimumBackoff
        var doublings = failedProbes
        while doublings > 0 && full < maximumBackoff {
            full *= 2
            doublings -= 1
        }
        full = min(full, maximumBackoff)
        let jitter = unitRandom.isFinite ? min(max(unitRandom, 0), 1) : 0
        return full * (0.5 + 0.5 * jitter)
    }
}
