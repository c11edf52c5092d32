import Foundation
@testable import Gateway
import HTTPServer
import Synchronization
import TestSupport
import GatewayConfiguration
import KoreAdapter
import Testing

/// The sliding-window pacer with a manual clock: the any-60-second-window property over random arrivals, exact
/// refusals, waits in arrival order, Kore.ai's cool-down, and the `RateLimit` fields.
@Suite struct PacingTests {
    static let minute = PacingPolicy(limit: 60, windowSeconds: 60)

    /// Every window of `window` seconds (half-open, starting anywhere) holds at most `limit` of `slots`. Checking the
    /// windows that start at a slot covers all: sliding a window's start up to the next slot only drops slots.
    static func worstWindow(_ slots: [Double], window: Double) -> Int {
        let sorted = slots.sorted()
        var worst = 0
        var end = 0
        for start in sorted.indices {
            while end < sorted.count && sorted[end] < sorted[start] + window { end += 1 }
            worst = max(worst, end - start)
        }
        return worst
    }

    /// The failure of the old token bucket: full at start, it let 60 through at once and then one a second, 119 in
    /// one minute. The window lets the 61st through only when the first call has left the window.
    @Test func sixtyAtOnceThenOneASecondStaysAtSixtyInAnyMinute() {
        var log = SlidingWindowLog()
        var granted: [Double] = []
        for _ in 0..<60 {
            if case .granted = log.acquire(now: 0, policy: Self.minute, maxWaitSeconds: 0) { granted.append(0) }
        }
        for second in 1...120 {
            let now = Double(second)
            switch log.acquire(now: now, policy: Self.minute, maxWaitSeconds: 0) {
            case .granted: granted.append(now)
            case .limited(let retryAfter, let quota):
                #expect(second < 60, "refused at \(second) s")
                // Exactly until the calls of second 0 leave the window.
                #expect(retryAfter == 60 - now && quota.remaining == 0)
            }
        }
        #expect(granted.count == 60 + 61, "60 at 0 s, then one a second from 60 s to 120 s")
        #expect(Self.worstWindow(granted, window: 60) == 60)
        #expect(!granted.contains { $0 > 0 && $0 < 60 })
    }

    /// Random arrivals (bursts, quiet stretches, sub-second gaps), random limits, waits and cool-downs: every window
    /// holds at most the limit, no wait exceeds the allowed one, slots follow arrival order, and every refusal's
    /// retry-after is exact (granted there, refused a millisecond before).
    @Test(arguments: 0..<40)
    func anyWindowHoldsTheLimitOverRandomArrivals(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 17)
        let policy = PacingPolicy(limit: 1 + random.below(12), windowSeconds: 60)
        let maxWait = [0, 0, 5, 30, 90][random.below(5)].asDouble
        var log = SlidingWindowLog()
        var now = 0.0
        var slots: [Double] = []
        for _ in 0..<400 {
            switch random.below(10) {
            case 0: now += Double(random.below(120))                        // a quiet stretch
            case 1, 2: break                                               // a burst: same instant
            default: now += Double(random.below(4000)) / 1000              // up to 4 s later
            }
            if random.below(50) == 0 { _ = log.coolDown(now: now, seconds: Double(random.below(40)), policy: policy) }
            let probe = log
            switch log.acquire(now: now, policy: policy, maxWaitSeconds: maxWait) {
            case .granted(let wait, let quota):
                #expect(wait >= 0 && wait <= maxWait, "wait \(wait) beyond \(maxWait)")
                #expect(slots.last.map { now + wait >= $0 - 1e-9 } ?? true, "a later arrival got an earlier slot")
                #expect(quota.remaining <= policy.limit - 1 || quota.remaining == 0)
                // The slot as the log holds it (now + wait can differ from it in the last bit).
                guard let slot = log.liveSlots.last, abs(slot - (now + wait)) < 1e-9 else {
                    Issue.record("seed \(seed): the granted wait is not the reserved slot")
                    return
                }
                slots.append(slot)
            case .limited(let retryAfter, let quota):
                #expect(retryAfter > maxWait && quota.remaining == 0)
                var at = probe, before = probe
                // A nanosecond's grace for now + retryAfter landing a bit short of the slot in floating point.
                guard case .granted = at.acquire(now: now + retryAfter + 1e-9, policy: policy, maxWaitSeconds: 0) else {
                    Issue.record("seed \(seed): not granted at the announced retry-after \(retryAfter)")
                    return
                }
                guard case .limited = before.acquire(now: now + retryAfter - 0.001, policy: policy, maxWaitSeconds: 0) else {
                    Issue.record("seed \(seed): granted before the announced retry-after \(retryAfter): it was not exact")
                    return
                }
            }
        }
        #expect(Self.worstWindow(slots, window: policy.windowSeconds) <= policy.limit, "seed \(seed), limit \(policy.limit)")
        #expect(slots.count >= policy.limit)
    }

    /// A single caller gets the whole budget: with the window empty, the limit is granted at once, not less.
    @Test func oneCallerGetsTheWholeBudget() {
        let store = InProcessPacingStore(clock: { 5 })
        var granted = 0
        for _ in 0..<60 {
            if case .granted(0, _) = store.acquireNow(account: "a", policy: Self.minute, maxWaitSeconds: 0) { granted += 1 }
        }
        #expect(granted == 60)
        guard case .limited(let retryAfter, _) = store.acquireNow(account: "a", policy: Self.minute, maxWaitSeconds: 0) else {
            Issue.record("the 61st call was granted")
            return
        }
        #expect(retryAfter == 60)
        // Another account has its own budget.
        if case .limited = store.acquireNow(account: "b", policy: Self.minute, maxWaitSeconds: 0) { Issue.record("account b was refused") }
    }

    /// Two callers race for one account: the first reads the clock, then the second takes a slot before the first
    /// gets the lock. Neither may be refused while the window is nearly empty (reading the clock outside the lock
    /// gave the first caller a slot in its own future, and with no wait allowed, a 429).
    @Test func aCallerOvertakenBetweenItsClockAndTheLockIsNotRefused() async throws {
        let race = ClockRace()
        let store = InProcessPacingStore(clock: { race.now() })
        race.store.withLock { $0 = store }
        let first = try await OffPool.run { store.acquireNow(account: "a", policy: Self.minute, maxWaitSeconds: 0) }
        let second = try await OffPool.run { race.secondDecision() }
        guard case .granted = first else { Issue.record("the first caller was refused: \(first)"); return }
        guard case .granted = second else { Issue.record("the second caller was refused: \(String(describing: second))"); return }
    }

    /// A full window: callers within the allowed wait get reserved slots in arrival order; one beyond it is refused
    /// with the exact time to its slot, and reserves nothing.
    @Test func waitsAreReservedInArrivalOrder() {
        let clock = ManualClock<Double>(0)
        let store = InProcessPacingStore(clock: clock.closure)
        let two = PacingPolicy(limit: 2, windowSeconds: 60)
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 60) == .granted(waitSeconds: 0, quota: PacingQuota(limit: 2, windowSeconds: 60, remaining: 1, effectiveWindowSeconds: 60)))
        clock.set(5)
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 60).waitSeconds == 0)
        clock.set(10)
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 30).retryAfter == 50, "refused: 50 s away, 30 allowed")
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 60).waitSeconds == 50, "first waiter: when the 0 s call leaves")
        clock.set(11)
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 60).waitSeconds == 54, "second waiter: when the 5 s call leaves")
        clock.set(12)
        // The two reservations fill the window from 60 s; the next slot is when the first of them leaves.
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 60).retryAfter == 108)
        clock.set(65)
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 0).retryAfter == 55)
        clock.set(120)
        #expect(store.acquireNow(account: "a", policy: two, maxWaitSeconds: 0).waitSeconds == 0)
    }

    /// The pacer sleeps until the reserved slot before letting the call go, and refuses (sending nothing) when the
    /// sleep is cut short.
    @Test func thePacerSleepsUntilTheSlotAndNeverSendsEarly() async {
        let clock = ManualClock<Double>(0)
        let slept = Mutex<[Double]>([])
        let pacer = AccountPacer(store: InProcessPacingStore(clock: clock.closure), requestsPerMinute: 1, maxWaitSeconds: 90,
                                 sleep: { seconds in slept.withLock { $0.append(seconds) }; clock.advance(seconds); return true })
        guard case .go = await pacer.slot(account: "a") else { Issue.record("first call refused"); return }
        clock.set(20)
        guard case .go(let quota) = await pacer.slot(account: "a") else { Issue.record("second call refused"); return }
        #expect(slept.withLock { $0 } == [40])
        #expect(quota.remaining == 0)
        let interrupted = AccountPacer(store: InProcessPacingStore(clock: { 0 }), requestsPerMinute: 1, maxWaitSeconds: 90, sleep: { _ in false })
        _ = await interrupted.slot(account: "a")
        guard case .refused(let problem, _) = await interrupted.slot(account: "a") else { Issue.record("sent after an interrupted wait"); return }
        #expect(problem.code == .rateLimited && problem.headers["Retry-After"] == "60")
    }

    @Test func aRefusalIs429WithTheExactRetryAfterRoundedUp() async {
        let clock = ManualClock<Double>(0)
        let pacer = AccountPacer(store: InProcessPacingStore(clock: clock.closure), requestsPerMinute: 1)
        _ = await pacer.slot(account: "a")
        clock.set(12.2)
        guard case .refused(let problem, let quota) = await pacer.slot(account: "a") else { Issue.record("not refused"); return }
        #expect(problem.httpStatus == 429 && problem.code == .rateLimited && problem.retryable == nil)
        #expect(problem.headers["Retry-After"] == "48")
        #expect(quota.remaining == 0 && abs(quota.effectiveWindowSeconds - 47.8) < 1e-9)
    }

    /// Kore.ai's own 429: nothing goes before its Retry-After, a shorter one does not shorten it, and afterwards the
    /// window's own rule applies again.
    @Test func aCoolDownHoldsEveryCallUntilItEnds() async {
        let clock = ManualClock<Double>(100)
        let store = InProcessPacingStore(clock: clock.closure)
        var log = SlidingWindowLog()
        let quota = log.coolDown(now: 100, seconds: 30, policy: Self.minute)
        #expect(quota.remaining == 0 && quota.effectiveWindowSeconds == 30)
        _ = log.coolDown(now: 101, seconds: 5, policy: Self.minute)
        #expect(log.coolDownUntil == 130)
        #expect(log.acquire(now: 101, policy: Self.minute, maxWaitSeconds: 0).retryAfter == 29)
        #expect(log.acquire(now: 101, policy: Self.minute, maxWaitSeconds: 29).waitSeconds == 29)
        #expect(log.acquire(now: 130, policy: Self.minute, maxWaitSeconds: 0).waitSeconds == 0)
        // Through the store: the cool-down of one account leaves the others alone.
        clock.set(200)
        _ = await store.coolDown(account: "a", seconds: 10, policy: Self.minute)
        #expect(store.acquireNow(account: "a", policy: Self.minute, maxWaitSeconds: 0).retryAfter == 10)
        #expect(store.acquireNow(account: "b", policy: Self.minute, maxWaitSeconds: 0).waitSeconds == 0)
    }

    @Test func rateLimitFieldsFollowTheDraftSyntax() {
        let fresh = PacingQuota(limit: 60, windowSeconds: 60, remaining: 59, effectiveWindowSeconds: 60)
        #expect(RateLimitFields.policy(fresh) == "\"account\";q=60;w=60")
        #expect(RateLimitFields.current(fresh) == "\"account\";r=59;t=60")
        // With quota left, t rounds down (no more than r within t stays true) and shrinks with the time since.
        let some = PacingQuota(limit: 60, windowSeconds: 60, remaining: 17, effectiveWindowSeconds: 23.9)
        #expect(RateLimitFields.current(some) == "\"account\";r=17;t=23")
        #expect(RateLimitFields.current(some, elapsedSeconds: 3) == "\"account\";r=17;t=20")
        // With none left, t rounds up: it is the Retry-After.
        let none = PacingQuota(limit: 60, windowSeconds: 60, remaining: 0, effectiveWindowSeconds: 47.2)
        #expect(RateLimitFields.current(none) == "\"account\";r=0;t=48")
    }

    /// The fields are written digit by digit into the string's storage, and the policy field is kept between
    /// answers: each must still say what interpolation says, for any integer and after the limit changes.
    @Test func rateLimitFieldsWriteEveryIntegerAndFollowAChangedLimit() {
        for n in [0, 1, 9, 10, 99, 100, 59, 1_000_000, Int.max, -1, Int.min] {
            #expect(RateLimitFields.field(#""account";r="#, n, ";t=", 7) == "\"account\";r=\(n);t=7")
            #expect(RateLimitFields.field(#""account";q="#, 3, ";w=", n) == "\"account\";q=3;w=\(n)")
        }
        for limit in [60, 30, 30, 60, 1_000_000] {
            let quota = PacingQuota(limit: limit, windowSeconds: 60, remaining: 1, effectiveWindowSeconds: 1)
            #expect(RateLimitFields.policy(quota) == "\"account\";q=\(limit);w=60")
        }
        let longer = PacingQuota(limit: 60, windowSeconds: 3600, remaining: 1, effectiveWindowSeconds: 1)
        #expect(RateLimitFields.policy(longer) == "\"account\";q=60;w=3600")
    }

    @Test func redisRepliesAreDecodedOnlyWhenSane() {
        let granted = RedisPacingScript.decision(reply: [1, 1500, 60, 3, 12000, 1_700_000_000_000], windowSeconds: 60)
        #expect(granted == .granted(waitSeconds: 1.5, quota: PacingQuota(limit: 60, windowSeconds: 60, remaining: 3, effectiveWindowSeconds: 12)))
        let refused = RedisPacingScript.decision(reply: [0, 42000, 60, 0, 42000, 0], windowSeconds: 60)
        #expect(refused == .limited(retryAfterSeconds: 42, quota: PacingQuota(limit: 60, windowSeconds: 60, remaining: 0, effectiveWindowSeconds: 42)))
        for broken: [Int64] in [[], [1, 0, 60, 3, 0], [2, 0, 60, 0, 0, 0], [1, -1, 60, 0, 0, 0], [1, 0, 0, 0, 0, 0],
                                [1, 0, 60, 61, 0, 0], [1, 0, 60, 0, -5, 0], [0, 86_400_001, 60, 0, 0, 0], [1, 0, 60, 0, 0, 0, 0]] {
            #expect(RedisPacingScript.decision(reply: broken, windowSeconds: 60) == nil, "\(broken)")
        }
        let keys = RedisPacingScript.keys(prefix: "cgw:", account: "acct-1")
        #expect(keys.log == "cgw:pace:{acct-1}" && keys.coolDown == "cgw:pace:{acct-1}:cool")
        let braced = RedisPacingScript.keys(prefix: "cgw:", account: "a}b")
        #expect(braced.log.hasPrefix("cgw:pace:{sha256-") && !braced.log.dropFirst(9).contains("}:") && braced.coolDown == braced.log + ":cool")
        #expect(RedisPacingScript.acquireArguments(policy: Self.minute, maxWaitSeconds: 2.5, member: "r1-7") == ["acquire", "60", "60000", "2500", "r1-7"])
    }
}

extension PacingDecision {
    var waitSeconds: Double? { if case .granted(let wait, _) = self { return wait } else { return nil } }
    var retryAfter: Double? { if case .limited(let retryAfter, _) = self { return retryAfter } else { return nil } }
}

extension Int {
    var asDouble: Double { Double(self) }
}

/// A reload builds a new `GatewayState`; the budget and the stored answers must survive it.
@Suite struct ReloadKeepsTheStoresTests {
    struct NoTransport: UpstreamTransport {
        func send(_ request: UpstreamRequest, timeoutSeconds: Double) async -> Result<UpstreamResponse, UpstreamTransportError> {
            .failure(.unavailable("not used"))
        }
    }

    static func config(limit: Int) throws -> GatewayConfig {
        let text = """
        { "tenants": [ { "name": "t", "baseURL": "http://127.0.0.1:1", "streamId": "st-1", "accountId": "a-1", "clientId": "cs-1",
                         "clientSecret": { "env": "S" } } ],
          "clients": [ { "name": "c", "apiKeySHA256": "\(String(repeating: "ab", count: 32))", "tenants": ["t"], "scopes": ["read"] } ],
          "upstream": { "requestsPerMinutePerAccount": \(limit) } }
        """
        return try GatewayConfigLoader(environment: ["S": "s"]).parse(bytes: Array(text.utf8), baseDirectory: "/").config
    }

    @Test func aReloadKeepsTheBudgetAndTheStoredAnswers() async throws {
        let clock = ManualClock<Double>(0)
        let first = GatewayState(config: try Self.config(limit: 2), transport: NoTransport(), pacingStore: InProcessPacingStore(clock: clock.closure))
        _ = await first.pacer.slot(account: "a-1")
        _ = await first.pacer.slot(account: "a-1")
        // A higher limit applies to the calls already in the window: one more, not three.
        let reloaded = GatewayState(config: try Self.config(limit: 3), transport: NoTransport(), previous: first)
        guard case .go = await reloaded.pacer.slot(account: "a-1") else { Issue.record("the raised limit was not applied"); return }
        guard case .refused = await reloaded.pacer.slot(account: "a-1") else { Issue.record("the reload reset the budget"); return }
        let kept = reloaded.idempotency as? InProcessIdempotencyStore
        let original = first.idempotency as? InProcessIdempotencyStore
        #expect(kept != nil && kept === original, "the reload replaced the idempotency records")
    }
}

/// A clock whose first reading lets a second caller run `acquireNow` on another thread (up to 0.5 s) before it
/// answers: where the store reads the clock under its lock, the second caller waits for that lock instead.
final class ClockRace: Sendable {
    let store = Mutex<InProcessPacingStore?>(nil)
    private let readings = Atomic<Int>(0)
    private let second = Mutex<PacingDecision?>(nil)
    private let secondDone = DispatchSemaphore(value: 0)

    func now() -> Double {
        let reading = readings.add(1, ordering: .relaxed).newValue
        guard reading == 1, let store = store.withLock({ $0 }) else { return Double(reading) }
        let overtaken = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in
            let decision = store.acquireNow(account: "a", policy: PacingTests.minute, maxWaitSeconds: 0)
            second.withLock { $0 = decision }
            overtaken.signal()
            secondDone.signal()
        }
        _ = overtaken.wait(timeout: .now() + 0.5)
        return 1
    }

    /// The second caller's decision, once it has one.
    func secondDecision() -> PacingDecision? {
        _ = secondDone.wait(timeout: .now() + 10)
        return second.withLock { $0 }
    }
}
