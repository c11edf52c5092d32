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

    public func acquire(account: String, policy: PacingPolicy, maxWaitSeconds: Double) async -> PacingDecision {
        acquireNow(account: account, policy: policy, maxWaitSeconds: maxWaitSeconds)
    }

    public func coolDown(account: String, seconds: Double, policy: PacingPolicy) async -> PacingQuota {
        let now = clock()
        return logs.withLock { $0[account, default: SlidingWindowLog()].coolDown(now: now, seconds: seconds, policy: policy) }
    }

    /// `acquire` without the async hop, for tests that drive the store with a manual clock.
    public func acquireNow(account: String, policy: PacingPolicy, maxWaitSeconds: Double) -> PacingDecision {
        let now = clock()
        return logs.withLock { $0[account, default: SlidingWindowLog()].acquire(now: now, policy: policy, maxWaitSeconds: maxWaitSeconds) }
    }
}
