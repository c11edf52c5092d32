@testable import Gateway
import TestSupport
import Testing

/// The shared state's decisions without Redis: the breaker's states with a manual clock (one failure opens it,
/// probes after a growing backoff, one at a time, only a probe closes it), and one account's fallback window (its
/// share of the budget, seeded with what the process knew, the slots it would replay).
@Suite struct SharedStateBreakerTests {
    @Test func oneFailureOpensItAndOnlyAProbeClosesIt() {
        let clock = ManualClock<Double>(100)
        var breaker = SharedStateBreaker(now: clock.now, minimumBackoff: 1, maximumBackoff: 4)
        #expect(breaker.state == .unknown && breaker.usesRedis)
        let step1 = breaker.succeeded(now: clock.now)
        #expect(step1 == .wentUp)
        let step2 = breaker.succeeded(now: clock.now)
        #expect(step2 == nil, "the first contact is announced once")

        clock.advance(10)
        let step3 = breaker.failed("timeout", now: clock.now, unitRandom: 1)
        #expect(step3 == .wentDown)
        #expect(!breaker.usesRedis && breaker.lastError == "timeout" && breaker.since == 110)
        let step4 = breaker.failed("again", now: clock.now, unitRandom: 1)
        #expect(step4 == nil, "an outage is announced once")
        // A late success of a call sent before the outage does not end it: only a probe (with the resync) does.
        let step5 = breaker.succeeded(now: clock.now)
        #expect(step5 == nil && !breaker.usesRedis)

        // The first probe is due after the minimum backoff (1 s at full jitter), not before.
        let step6 = breaker.beginProbe(now: 110.9)
        #expect(!step6)
        let step7 = breaker.beginProbe(now: 111)
        #expect(step7)
        let step8 = breaker.beginProbe(now: 111)
        #expect(!step8, "one probe at a time")
        breaker.probeFailed("refused", now: 111, unitRandom: 1)
        #expect(breaker.lastError == "refused" && breaker.nextProbeAt == 113, "the backoff doubles: 2 s")
        let step9 = breaker.beginProbe(now: 113)
        #expect(step9)
        breaker.probeFailed("refused", now: 113, unitRandom: 1)
        #expect(breaker.nextProbeAt == 117)
        let step10 = breaker.beginProbe(now: 117)
        #expect(step10)
        breaker.probeFailed("refused", now: 117, unitRandom: 0)
        #expect(breaker.nextProbeAt == 119, "capped at 4 s, drawn down to half of it")

        let step11 = breaker.beginProbe(now: 119)
        #expect(step11)
        let step12 = breaker.probeSucceeded(now: 119.5)
        #expect(step12 == .wentUp)
        #expect(breaker.usesRedis && breaker.since == 119.5 && breaker.nextProbeAt == nil)
        #expect(breaker.lastError == "refused", "the last error stays visible after the recovery")
        let step13 = breaker.beginProbe(now: 200)
        #expect(!step13, "no probes while up")

        // A new outage starts from the minimum backoff again.
        let step14 = breaker.failed("gone", now: 300, unitRandom: 1)
        #expect(step14 == .wentDown)
        #expect(breaker.nextProbeAt == 301)
    }

    @Test func aFailureBeforeTheFirstContactIsAnOutage() {
        var breaker = SharedStateBreaker(now: 0, minimumBackoff: 0.25, maximumBackoff: 2)
        let step15 = breaker.failed("WRONGPASS", now: 0, unitRandom: 1)
        #expect(step15 == .wentDown)
        #expect(!breaker.usesRedis)
        let step16 = breaker.beginProbe(now: 0.25)
        #expect(step16)
        let step17 = breaker.probeSucceeded(now: 0.3)
        #expect(step17 == .wentUp)
    }

    static let policy = PacingPolicy(limit: 60, windowSeconds: 60)

    static func granted(_ decision: PacingDecision) -> Bool {
        if case .granted = decision { return true }
        return false
    }

    /// A process that never heard from Redis takes `limit / replicas` in any window, and at least one.
    @Test func theFallbackWindowIsTheReplicasShareRoundedDownAtLeastOne() {
        var shadow = AccountShadow()
        let share = PacingPolicy(limit: 60 / 4, windowSeconds: 60)
        var count = 0
        for call in 0..<40 where Self.granted(shadow.acquireInFallback(now: Double(call) * 0.1, policy: share, sharedLimit: 60,
                                                                         maxWaitSeconds: 0, member: "m\(call)")) {
            count += 1
        }
        #expect(count == 15)
        #expect(shadow.replayable(now: 30)?.slots.count == 15, "the slots granted in the fallback are kept to replay")
        // 61 s after the first call the window has room again; the slots of the window ending then are kept.
        let step18 = shadow.acquireInFallback(now: 61, policy: share, sharedLimit: 60, maxWaitSeconds: 0, member: "late")
        #expect(Self.granted(step18))
        #expect(shadow.replayable(now: 61)?.slots.count == 5, "1.1 s to 1.4 s and the new one")

        let link = SharedStateLinkFixture.unreachable()
        let store = RedisPacingStore(link: link, fallbackReplicas: 4)
        #expect(store.fallbackPolicy(Self.policy).limit == 15)
        store.setFallbackReplicas(7)
        #expect(store.fallbackPolicy(Self.policy).limit == 8, "60 / 7 rounded down")
        #expect(store.fallbackPolicy(PacingPolicy(limit: 3)).limit == 1, "never 0")
    }

    /// Seeding: the process had 5 slots of its own and the last shared answer showed 20 used, so 15 were other
    /// replicas'. Its fallback window (15 at 4 replicas) starts full, and frees up as those calls leave the window.
    @Test func theFallbackStartsWithWhatTheSharedWindowHeld() {
        var shadow = AccountShadow()
        for call in 0..<5 {
            let quota = PacingQuota(limit: 60, windowSeconds: 60, remaining: 60 - 16 - call, effectiveWindowSeconds: 60)
            shadow.recordShared(.granted(waitSeconds: 0, quota: quota), member: "own\(call)", now: Double(call), windowSeconds: 60)
        }
        let share = PacingPolicy(limit: 15, windowSeconds: 60)
        // At 10 s: 5 own + 15 others (seen at 4 s) in the window: no room.
        guard case .limited(let retryAfter, _) = shadow.acquireInFallback(now: 10, policy: share, sharedLimit: 60, maxWaitSeconds: 0, member: "f1") else {
            Issue.record("the seeded fallback window granted a call")
            return
        }
        // The sixth-newest of the 20 seeded slots is one of the others' (at 4 s): free at 64 s.
        #expect(retryAfter == 54)
        // Only the process's own slots are replayed: the others' are theirs to put back.
        #expect(shadow.replayable(now: 10)?.slots.map(\.member) == ["own0", "own1", "own2", "own3", "own4"])
        let step19 = shadow.acquireInFallback(now: 64.5, policy: share, sharedLimit: 60, maxWaitSeconds: 0, member: "f2")
        #expect(Self.granted(step19))
        #expect(shadow.replayable(now: 64.5)?.slots.map(\.member) == ["f2"])
    }

    @Test func theNewestOwnSlotIsCheckedOnlyWellInsideTheWindow() {
        var shadow = AccountShadow()
        let quota = PacingQuota(limit: 60, windowSeconds: 60, remaining: 59, effectiveWindowSeconds: 60)
        shadow.recordShared(.granted(waitSeconds: 2, quota: quota), member: "a", now: 10, windowSeconds: 60)
        #expect(shadow.newestMember(now: 20, windowSeconds: 60) == "a")
        #expect(shadow.newestMember(now: 71.5, windowSeconds: 60) == nil, "within a second of leaving the window")
        shadow.recordShared(.limited(retryAfterSeconds: 3, quota: quota), member: "b", now: 20, windowSeconds: 60)
        #expect(shadow.newestMember(now: 21, windowSeconds: 60) == "a", "a refusal reserves nothing")
    }
}
