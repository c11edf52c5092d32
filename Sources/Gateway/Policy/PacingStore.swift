/// Where the budget of calls to Kore.ai per account is kept: in this process (`InProcessPacingStore`), or shared by
/// every replica (a Redis implementation runs `RedisPacingScript` once per call, on Redis's clock).
///
/// The contract every implementation keeps:
/// - **Any window holds.** For one account, the slots it grants satisfy: no `policy.windowSeconds`-long window holds
///   more than `policy.limit` of them (a sliding log, not a token bucket that starts full, nor a fixed window that
///   lets twice the limit through across its edge). Every call counts: retries and reads before a write included.
/// - **Slots, not permits.** A slot is a point in time. When the window is full, the store looks for the earliest
///   slot that keeps the rule; if it is at most `maxWaitSeconds` away it is reserved (the caller sleeps until it),
///   else nothing is recorded and the answer says exactly how long until that slot. Reservations are handed out in
///   the order the calls arrive at the store, so waiting callers go in arrival order (nginx's `limit_req burst`).
/// - **Cool-down.** After Kore.ai itself answered 429 for an account, no slot is given before the cool-down ends.
/// - **Relative times.** Answers are durations from the store's own "now", so no caller compares its clock with
///   the store's (Redis's `TIME` for the shared store).
/// - **Never stalls, never throws.** A store whose backend is unreachable decides with its fallback (a window of its
///   own at `limit / fallbackReplicas`) and says so in `PacingQuota.limit`.
public protocol PacingStore: Sendable {
    /// Reserves the earliest slot for one call for `account` under `policy`, if it is at most `maxWaitSeconds` away.
    nonisolated(nonsending) func acquire(account: String, policy: PacingPolicy, maxWaitSeconds: Double) async -> PacingDecision

    /// `acquire` answered without suspending, by a store that decides in this process; nil from a store that must
    /// ask elsewhere (then `acquire` is called). Same contract as `acquire`.
    func acquireWithoutWaiting(account: String, policy: PacingPolicy, maxWaitSeconds: Double) -> PacingDecision?

    /// Kore.ai answered 429 for `account`: no slot starts earlier than `seconds` from now. A shorter cool-down than
    /// one already running changes nothing. Answers the account's quota as it now stands.
    nonisolated(nonsending) func coolDown(account: String, seconds: Double, policy: PacingPolicy) async -> PacingQuota
}

extension PacingStore {
    public func acquireWithoutWaiting(account: String, policy: PacingPolicy, maxWaitSeconds: Double) -> PacingDecision? { nil }
}

/// The budget: at most `limit` calls in any window of `windowSeconds`.
public struct PacingPolicy: Sendable, Equatable {
    public var limit: Int
    public var windowSeconds: Double

    public init(limit: Int, windowSeconds: Double = 60) {
        self.limit = max(1, limit)
        self.windowSeconds = windowSeconds > 0 ? windowSeconds : 60
    }
}

/// The store's answer to one `acquire`.
public enum PacingDecision: Sendable, Equatable {
    /// A slot is reserved `waitSeconds` from now (0: right away). The call must not leave before it.
    case granted(waitSeconds: Double, quota: PacingQuota)
    /// Nothing was reserved: the earliest slot is `retryAfterSeconds` away, beyond the allowed wait.
    case limited(retryAfterSeconds: Double, quota: PacingQuota)

    public var quota: PacingQuota {
        switch self {
        case .granted(_, let quota), .limited(_, let quota): return quota
        }
    }
}

/// What a caller can know of the account's budget after a decision, for the `RateLimit` fields.
public struct PacingQuota: Sendable, Equatable {
    /// The calls allowed per window (lower than configured while a shared store is in its fallback).
    public var limit: Int
    public var windowSeconds: Double
    /// How many more calls could be granted right now without waiting (0 during a cool-down).
    public var remaining: Int
    /// Seconds within which no more than `remaining` calls can be made: until the oldest counted call leaves the
    /// window, or, with nothing remaining, until the next slot (the `Retry-After` of a refusal).
    public var effectiveWindowSeconds: Double

    public init(limit: Int, windowSeconds: Double, remaining: Int, effectiveWindowSeconds: Double) {
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.remaining = remaining
        self.effectiveWindowSeconds = effectiveWindowSeconds
    }
}
