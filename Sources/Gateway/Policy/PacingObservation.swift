import Transport

/// The last budget one request saw (its own calls and its retries), for the `RateLimit` fields of its answer. A value
/// the request's calls record into and hand back (a shared object with a lock was an allocation per request).
struct PacingObservation: Sendable {
    private var last: (quota: PacingQuota, at: Double)?

    init() {}

    mutating func record(_ quota: PacingQuota) {
        last = (quota, MonotonicInstant.now().seconds)
    }

    /// What `later` saw, when it saw anything (it was recorded after this).
    mutating func update(with later: PacingObservation) {
        if let seen = later.last { last = seen }
    }

    /// `RateLimit-Policy` and `RateLimit` as of now, or nil when the request was never paced.
    func fields() -> (policy: String, current: String)? {
        guard let seen = last else { return nil }
        let elapsed = MonotonicInstant.now().seconds - seen.at
        return (RateLimitFields.policy(seen.quota), RateLimitFields.current(seen.quota, elapsedSeconds: elapsed))
    }
}
