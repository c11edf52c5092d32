import Transport
import Synchronization

/// A token bucket per Kore.ai accountId: Kore.ai allows 60 requests per minute per account, so the
/// gateway refuses with 429 and a computed Retry-After before Kore.ai would. Nothing is queued.
public final class AccountPacer: Sendable {
    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    private let capacity: Double
    private let refillPerSecond: Double
    private let clock: @Sendable () -> Double
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(requestsPerMinute: Int, clock: @escaping @Sendable () -> Double = { MonotonicInstant.now().seconds }) {
        capacity = Double(max(1, requestsPerMinute))
        refillPerSecond = Double(max(1, requestsPerMinute)) / 60
        self.clock = clock
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Whole seconds until a token is available, at least 1.
        case limited(retryAfterSeconds: Int)
    }

    public func take(account: String) -> Decision {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[account] ?? Bucket(tokens: capacity, updatedAt: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updatedAt) * refillPerSecond)
            bucket.updatedAt = now
            defer { buckets[account] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return .allowed
            }
            let wait = (1 - bucket.tokens) / refillPerSecond
            return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
    }
}
