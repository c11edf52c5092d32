import RedisClient
import Testing
import Transport

/// The reconnect delay: doubling from the minimum, capped, jittered within half to all of it, reset by a success.
struct ReconnectBackoffTests {
    let start = MonotonicInstant(nanoseconds: 1_000_000_000)

    @Test func delaysDoubleUpToTheCap() {
        var backoff = ReconnectBackoff(policy: .init(minimumSeconds: 0.1, maximumSeconds: 1))
        #expect(backoff.mayAttempt(at: start))
        // unitRandom 1: the whole delay.
        let delays = (0..<6).map { _ in backoff.failed(at: start, unitRandom: 1) }
        #expect(delays.map { ($0 * 1000).rounded() } == [100, 200, 400, 800, 1000, 1000])
        #expect(backoff.failures == 6)
    }

    @Test func jitterDrawsBetweenHalfAndAllOfTheDelay() {
        var low = ReconnectBackoff(policy: .init(minimumSeconds: 0.2, maximumSeconds: 5))
        var high = low
        #expect(low.failed(at: start, unitRandom: 0) == 0.1)
        #expect(high.failed(at: start, unitRandom: 0.999_999) < 0.2)
        #expect(high.failed(at: start, unitRandom: .nan) == 0.2, "a non-finite draw counts as 0")
    }

    @Test func noAttemptBeforeTheDelayAndASuccessResets() {
        var backoff = ReconnectBackoff(policy: .init(minimumSeconds: 0.5, maximumSeconds: 5))
        backoff.failed(at: start, unitRandom: 1)
        #expect(!backoff.mayAttempt(at: start.adding(seconds: 0.49)))
        #expect(backoff.mayAttempt(at: start.adding(seconds: 0.5)))
        backoff.succeeded()
        #expect(backoff.failures == 0 && backoff.notBefore == nil)
        #expect(backoff.mayAttempt(at: start))
        #expect(backoff.failed(at: start, unitRandom: 1) == 0.5, "after a success the delay starts from the minimum again")
    }

    @Test func manyFailuresNeitherOverflowNorExceedTheCap() {
        var backoff = ReconnectBackoff(policy: .init(minimumSeconds: 0.05, maximumSeconds: 2))
        var last = 0.0
        for _ in 0..<10_000 { last = backoff.failed(at: start, unitRandom: 1) }
        #expect(last == 2)
        #expect(backoff.failures == 64)
    }
}
