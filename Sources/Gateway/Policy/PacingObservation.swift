import Transport
import Synchronization

/// The last budget one request saw (its own calls and its retries), for the `RateLimit` fields of its answer.
final class PacingObservation: Sendable {
    private let last = Mutex<(quota: PacingQuota, at: Double)?>(nil)

    func record(_ quota: PacingQuota) {
        let now = MonotonicInstant.now().seconds
        last.withLock { $0 = (quota, now) }
    }

    /// `RateLimit-Policy` and `RateLimit` as of now, or nil when the request was never paced.
    func fields() -> (policy: String, current: String)? {
        guard let seen = last.withLock({ $0 }) else { return nil }
        let elapsed = MonotonicInstant.now().seconds - seen.at
        return (RateLimitFields.policy(seen.quota), RateLimitFields.current(seen.quota, elapsedSeconds: elapsed))
    }
}
