import Transport
import Synchronization

/// The pacing store of one process (no `redis` configured): a `SlidingWindowLog` per account behind one lock.
/// Accounts come from the configuration, so the map is as bounded as the configuration; each log holds at most
/// the slots of one window plus the reservations of waiting calls.
public final class InProcessPacingStore: PacingStore {
    private let clock: @Sendable () -> Double
    private let logs = Mutex<[String: SlidingWindowLog]>([:])

    public init(clock: @escaping @Sendable () -> Double = { MonotonicInstant.now().seconds }) {
        self.clock = clock
    }

    nonisolated(nonsending) public func acquire(account: String, policy: PacingPolicy, maxWaitSeconds: Double) async -> PacingDecision {
        acquireNow(account: account, policy: policy, maxWaitSeconds: maxWaitSeconds)
    }

    public func acquireWithoutWaiting(account: String, policy: PacingPolicy, maxWaitSeconds: Double) -> PacingDecision? {
        acquireNow(account: account, policy: policy, maxWaitSeconds: maxWaitSeconds)
    }

    // The clock is read under the lock, as Redis reads TIME inside its script: read before it, a caller that lost
    // the race for the lock came with an older `now` than the newest slot, so its slot lay in its future and, with
    // no wait allowed, it got a 429 while the window was nearly empty (seen under six concurrent PUT loops).

    nonisolated(nonsending) public func coolDown(account: String, seconds: Double, policy: PacingPolicy) async -> PacingQuota {
        logs.withLock { $0[account, default: SlidingWindowLog()].coolDown(now: clock(), seconds: seconds, policy: policy) }
    }

    /// `acquire` without the async hop, for tests that drive the store with a manual clock.
    public func acquireNow(account: String, policy: PacingPolicy, maxWaitSeconds: Double) -> PacingDecision {
        logs.withLock { $0[account, default: SlidingWindowLog()].acquire(now: clock(), policy: policy, maxWaitSeconds: maxWaitSeconds) }
    }
}
