/// One account's slots (past calls and reservations for waiting calls) and its cool-down: the pure rule behind
/// `InProcessPacingStore`, and the same rule `RedisPacingScript` runs in Redis.
///
/// The rule: a new slot `t` is the earliest time not before `now`, not before the newest slot (slots stay sorted, so
/// waiting callers keep their arrival order), not before the cool-down's end, and at least one window after the
/// slot `limit` places back. Then every window of `windowSeconds` holds at most `limit` slots: the window ending at
/// `t` excludes that slot and everything older, leaving at most `limit - 1` others.
public struct SlidingWindowLog: Sendable {
    /// Slot times, sorted; `slots[head...]` are live (a queue without shifting the array on every prune).
    private var slots: [Double] = []
    private var head = 0
    /// No slot before this time (Kore.ai's own 429).
    public private(set) var coolDownUntil = -Double.infinity

    public init() {}

    /// A log that already holds `slots` (in any order) and a cool-down ending at `coolDownUntil`: a fallback window
    /// seeded with the calls known to be in the window when it takes over.
    public init(slots: [Double], coolDownUntil: Double = -.infinity) {
        self.slots = slots.filter(\.isFinite).sorted()
        self.coolDownUntil = coolDownUntil
    }

    /// The live slots, oldest first.
    public var liveSlots: ArraySlice<Double> { slots[head...] }

    /// Reserves the earliest slot if it is at most `maxWaitSeconds` after `now`; records nothing otherwise.
    public mutating func acquire(now: Double, policy: PacingPolicy, maxWaitSeconds: Double) -> PacingDecision {
        prune(now: now, policy: policy)
        let slot = nextSlot(now: now, policy: policy)
        let wait = slot - now
        guard wait <= max(0, maxWaitSeconds) else {
            return .limited(retryAfterSeconds: wait, quota: quota(now: now, policy: policy))
        }
        slots.append(slot)
        return .granted(waitSeconds: wait, quota: quota(now: now, policy: policy))
    }

    /// No slot before `now + seconds` (a running longer cool-down stays).
    public mutating func coolDown(now: Double, seconds: Double, policy: PacingPolicy) -> PacingQuota {
        prune(now: now, policy: policy)
        if seconds > 0 { coolDownUntil = max(coolDownUntil, now + seconds) }
        return quota(now: now, policy: policy)
    }

    /// The budget as it stands at `now` (no slot taken).
    public func quota(now: Double, policy: PacingPolicy) -> PacingQuota {
        // Slots at or before `now - window` no longer count; prune may not have run at this `now`.
        var first = head
        while first < slots.count && slots[first] <= now - policy.windowSeconds { first += 1 }
        let counted = slots.count - first
        let coolingDown = coolDownUntil > now
        let remaining = coolingDown ? 0 : max(0, policy.limit - counted)
        let effective: Double
        if remaining > 0 {
            // Until the oldest counted slot leaves the window nothing more frees up; an empty log: a whole window.
            effective = counted == 0 ? policy.windowSeconds : slots[first] + policy.windowSeconds - now
        } else {
            effective = nextSlot(now: now, policy: policy, from: first) - now
        }
        return PacingQuota(limit: policy.limit, windowSeconds: policy.windowSeconds, remaining: remaining,
                           effectiveWindowSeconds: max(0, effective))
    }

    /// The earliest slot the rule allows at `now`.
    private func nextSlot(now: Double, policy: PacingPolicy, from first: Int? = nil) -> Double {
        let first = first ?? head
        var slot = max(now, coolDownUntil)
        if let newest = slots.last, slots.count > first { slot = max(slot, newest) }
        let counted = slots.count - first
        if counted >= policy.limit {
            slot = max(slot, slots[slots.count - policy.limit] + policy.windowSeconds)
        }
        return slot
    }

    /// Drops slots that no window ending at or after `now` contains.
    private mutating func prune(now: Double, policy: PacingPolicy) {
        let horizon = now - policy.windowSeconds
        while head < slots.count && slots[head] <= horizon { head += 1 }
        if head > 64 && head * 2 >= slots.count {
            slots.removeFirst(head)
            head = 0
        }
    }
}
