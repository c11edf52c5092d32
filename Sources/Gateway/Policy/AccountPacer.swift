import Transport
import HTTPServer

/// The gateway's side of pacing: asks the `PacingStore` for a slot for one call to Kore.ai, sleeps until it when the
/// store reserved one ahead (at most `upstream.pacingMaxWaitSeconds`), or turns the refusal into `429 rate_limited`
/// with the exact `Retry-After`. Stateless itself: the budget lives in the store, which outlives reloads.
public struct AccountPacer: Sendable {
    public let store: any PacingStore
    public let policy: PacingPolicy
    public let maxWaitSeconds: Double
    /// Sleeps the given seconds; false when the sleep ended early (the task was cancelled).
    let sleep: @Sendable (Double) async -> Bool

    public init(store: any PacingStore, requestsPerMinute: Int, maxWaitSeconds: Double = 0,
                sleep: @escaping @Sendable (Double) async -> Bool = AccountPacer.taskSleep) {
        self.store = store
        policy = PacingPolicy(limit: requestsPerMinute, windowSeconds: 60)
        self.maxWaitSeconds = max(0, maxWaitSeconds)
        self.sleep = sleep
    }

    /// What became of one request for a slot.
    public enum Outcome: Sendable {
        /// The slot has come: send now.
        case go(PacingQuota)
        case refused(Problem, PacingQuota)

        public var quota: PacingQuota {
            switch self {
            case .go(let quota), .refused(_, let quota): return quota
            }
        }
    }

    /// A slot for one call for `account`, waiting at most `maxWaitSeconds`: the configured wait when nil (a request's
    /// own calls), the room left in the deadline for a retry after Kore.ai's 429.
    nonisolated(nonsending) public func slot(account: String, maxWaitSeconds: Double? = nil) async -> Outcome {
        let allowedWait = max(0, maxWaitSeconds ?? self.maxWaitSeconds)
        // The in-process store decides without suspending: no await (and no task frame) for it.
        let decision: PacingDecision
        if let now = store.acquireWithoutWaiting(account: account, policy: policy, maxWaitSeconds: allowedWait) {
            decision = now
        } else {
            decision = await store.acquire(account: account, policy: policy, maxWaitSeconds: allowedWait)
        }
        switch decision {
        case .granted(let wait, let quota):
            // Never leave before the slot: a call sent early is one the window did not count at that time.
            if wait > 0, await !sleep(wait) {
                return .refused(Self.problem(retryAfter: wait, policy: policy), quota)
            }
            return .go(quota)
        case .limited(let retryAfter, let quota):
            return .refused(Self.problem(retryAfter: retryAfter, policy: policy), quota)
        }
    }

    /// Kore.ai answered 429 for `account`: hold every call for it (on every replica sharing the store) for `seconds`.
    nonisolated(nonsending) public func coolDown(account: String, seconds: Double) async -> PacingQuota {
        await store.coolDown(account: account, seconds: seconds, policy: policy)
    }

    static func problem(retryAfter: Double, policy: PacingPolicy) -> Problem {
        let seconds = retryAfterSeconds(retryAfter)
        var problem = Problem(.rateLimited, "the gateway sends at most \(policy.limit) calls to Kore.ai for this account in any \(Int(policy.windowSeconds)) s (and pauses after Kore.ai's own 429); the next slot is in \(seconds) s")
        problem.headers.add("Retry-After", String(seconds))
        return problem
    }

    /// Whole seconds, rounded up (a caller that waits them finds the slot free), at least 1.
    static func retryAfterSeconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return 3600 }
        return max(1, Int(min(seconds, 86_400).rounded(.up)))
    }

    @Sendable public static func taskSleep(_ seconds: Double) async -> Bool {
        guard seconds > 0 else { return true }
        do {
            try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1e9))
            return true
        } catch {
            return false
        }
    }
}
