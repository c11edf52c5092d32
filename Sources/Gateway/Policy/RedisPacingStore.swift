import RedisClient
import Synchronization

/// The pacing store every replica shares: each decision is one run of `RedisPacingScript` (by `EVALSHA`), on
/// Redis's clock, so all replicas draw on one budget per account. When Redis cannot be used (`SharedStateLink`'s
/// breaker is open) this process decides alone with a fallback window at `limit / fallbackReplicas` (rounded
/// down, at least 1), and says so in the quota's `limit`.
///
/// The budget holds across the switch, both ways:
/// - **Into the fallback.** Each account's fallback window starts with what this process knows is in the shared
///   window: its own slots (it keeps the slots it was granted, Redis's and the fallback's, for one window, with the
///   member each was granted under), and the other replicas' slots as of the last shared answer (the answer's used
///   count minus its own, placed at the time of that answer: the latest they can be, so they are counted as long
///   as they can still be in the window). With every replica doing the same at `limit / replicas`, a window that
///   spans the switch holds at most the limit, provided each replica heard from Redis recently; an idle replica's
///   view is older, and the calls others made since it last asked are unknown to it.
/// - **Back to the shared window.** Before decisions are shared again, the link's probe replays this process's
///   slots still in the window into Redis (`RedisPacingReplayScript`: `ZADD NX` under their own members, on
///   Redis's clock), so the calls granted in the fallback count; slots Redis still holds are not counted twice.
/// - **Redis restarted empty** (or flushed, or the key evicted) without this process noticing an outage: every
///   acquire names this process's newest slot still in the window, and the script answers `{-1}` instead of
///   deciding when the log lacks it; the store then replays its slots for the account and asks again. An idle
///   replica restores its slots when the link's watcher finds its marker gone (within a watch interval, 1 s), and
///   all of them at the end of an outage it saw (its probe). Until a replica has put its slots back (that second,
///   or a probe's backoff of at most 2 s), the others decide without them: the only moment the shared window can
///   let more through than the limit, by at most what that replica had in the window.
public final class RedisPacingStore: PacingStore {
    public let link: SharedStateLink
    private let share: Atomic<Int>
    private let sequence = Atomic<Int>(0)
    private let accounts = Mutex<[String: AccountShadow]>([:])

    static let pacingScript = RedisScript(RedisPacingScript.source)
    static let replayScript = RedisScript(RedisPacingReplayScript.source)

    /// `fallbackReplicas`: how many replicas share the budget when each decides alone (`upstream.fallbackReplicas`).
    public init(link: SharedStateLink, fallbackReplicas: Int) {
        self.link = link
        share = Atomic(max(1, fallbackReplicas))
        link.addResync { [weak self] in await self?.replayAll() }
    }

    /// A reload changed `upstream.fallbackReplicas` (the store itself outlives reloads).
    public func setFallbackReplicas(_ replicas: Int) { share.store(max(1, replicas), ordering: .relaxed) }

    public var fallbackReplicas: Int { share.load(ordering: .relaxed) }

    /// The fallback's budget for `policy`: its share, rounded down, at least 1.
    public func fallbackPolicy(_ policy: PacingPolicy) -> PacingPolicy {
        PacingPolicy(limit: max(1, policy.limit / fallbackReplicas), windowSeconds: policy.windowSeconds)
    }

    // MARK: PacingStore

    public func acquire(account: String, policy: PacingPolicy, maxWaitSeconds: Double) async -> PacingDecision {
        let member = link.replicaID + "-" + String(sequence.add(1, ordering: .relaxed).newValue)
        let now = link.clock()
        let (keys, expected) = accounts.withLock { accounts in
            accounts[account, default: AccountShadow()].lookUp(account: account, prefix: link.keyPrefix, now: now, windowSeconds: policy.windowSeconds)
        }
        let shared = await link.perform { client, timeout throws(RedisError) -> PacingDecision in
            var reply = try await Self.integers(client.evalScript(
                Self.pacingScript, keys: keys,
                args: RedisPacingScript.acquireCommandArguments(policy: policy, maxWaitSeconds: maxWaitSeconds, member: member,
                                                                expectedMember: expected, checksMember: true),
                timeoutSeconds: timeout))
            if RedisPacingScript.isLostLog(reply: reply) {
                try await replay(account: account, client: client, timeoutSeconds: timeout)
                reply = try await Self.integers(client.evalScript(
                    Self.pacingScript, keys: keys,
                    args: RedisPacingScript.acquireCommandArguments(policy: policy, maxWaitSeconds: maxWaitSeconds, member: member),
                    timeoutSeconds: timeout))
            }
            guard let decision = RedisPacingScript.decision(reply: reply, windowSeconds: policy.windowSeconds) else {
                throw .protocolViolation("the pacing script answered \(reply), not a decision")
            }
            return decision
        }
        let decided = link.clock()
        if let shared {
            accounts.withLock { accounts in
                accounts[account, default: AccountShadow()].recordShared(shared, member: member, now: decided, windowSeconds: policy.windowSeconds)
            }
            return shared
        }
        link.metrics.countFallbackDecision()
        let fallback = fallbackPolicy(policy)
        return accounts.withLock { accounts in
            accounts[account, default: AccountShadow()].acquireInFallback(now: decided, policy: fallback, sharedLimit: policy.limit,
                                                                          maxWaitSeconds: maxWaitSeconds, member: member)
        }
    }

    public func coolDown(account: String, seconds: Double, policy: PacingPolicy) async -> PacingQuota {
        let keys = RedisPacingScript.keys(prefix: link.keyPrefix, account: account)
        let start = link.clock()
        accounts.withLock { $0[account, default: AccountShadow()].noteCoolDown(until: start + max(0, seconds)) }
        let shared = await link.perform { client, timeout throws(RedisError) -> PacingQuota in
            let reply = try await Self.integers(client.evalScript(
                Self.pacingScript, keys: [RedisArgument(keys.log), RedisArgument(keys.coolDown)],
                args: RedisPacingScript.coolDownArguments(policy: policy, seconds: seconds).map { RedisArgument($0) },
                timeoutSeconds: timeout))
            guard let quota = RedisPacingScript.quota(reply: reply, windowSeconds: policy.windowSeconds) else {
                throw .protocolViolation("the pacing script answered \(reply), not a quota")
            }
            return quota
        }
        if let shared { return shared }
        let now = link.clock()
        let fallback = fallbackPolicy(policy)
        return accounts.withLock { accounts in
            accounts[account, default: AccountShadow()].coolDownInFallback(now: now, seconds: seconds, policy: fallback, sharedLimit: policy.limit)
        }
    }

    // MARK: Replay

    /// Puts this process's slots for `account` still in the window (and its cool-down) back into Redis.
    private func replay(account: String, client: RedisClient, timeoutSeconds: Double) async throws(RedisError) {
        let now = link.clock()
        guard let (slots, window, coolDown) = accounts.withLock({ $0[account]?.replayable(now: now) }) else { return }
        let keys = RedisPacingScript.keys(prefix: link.keyPrefix, account: account)
        var start = slots.startIndex
        repeat {
            let end = min(slots.endIndex, start + RedisPacingReplayScript.maxSlotsPerCommand)
            let reply = try await client.evalScript(
                Self.replayScript, keys: [RedisArgument(keys.log), RedisArgument(keys.coolDown)],
                args: RedisPacingReplayScript.arguments(windowSeconds: window, coolDownSeconds: coolDown, slots: slots[start..<end]).map { RedisArgument($0) },
                timeoutSeconds: timeoutSeconds)
            guard reply.integer != nil else { throw .protocolViolation("the pacing replay script answered \(reply), not a count") }
            start = end
        } while start < slots.endIndex
    }

    /// Every account's replay, at the end of an outage (the link's resync); nil when all went through. The
    /// fallback windows are dropped after it: the next outage seeds them afresh.
    func replayAll() async -> String? {
        let names = accounts.withLock { accounts in
            let now = link.clock()
            return accounts.compactMap { name, shadow in shadow.replayable(now: now) == nil ? nil : name }
        }
        for name in names {
            do {
                try await replay(account: name, client: link.client, timeoutSeconds: link.timeoutSeconds)
            } catch {
                return error.description
            }
        }
        accounts.withLock { accounts in
            for name in accounts.keys { accounts[name]?.fallback = nil }
        }
        return nil
    }

    /// The integers of a script's reply; anything else is a broken answer.
    static func integers(_ reply: RedisReply) throws(RedisError) -> [Int64] {
        guard let elements = reply.array, elements.count <= 16 else {
            throw .protocolViolation("the pacing script answered \(String(describing: reply).prefix(200)), not an array of integers")
        }
        var out: [Int64] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard let value = element.integer else { throw .protocolViolation("the pacing script answered a non-integer element") }
            out.append(value)
        }
        return out
    }
}

/// What one process knows of one account's window, on its own clock: its own slots (whatever decided them), the
/// other replicas' count at the last shared answer, its cool-down, and while Redis is down the fallback window.
struct AccountShadow {
    struct Slot {
        var time: Double
        var member: String
    }

    /// Oldest first; pruned to one window.
    private(set) var own: [Slot] = []
    private var windowSeconds: Double = 60
    /// Slots other replicas held in the shared window at the last shared answer, and when that was.
    private var others: (count: Int, at: Double)?
    private var coolDownUntil = -Double.infinity
    /// The fallback window while Redis is down; nil while decisions are shared.
    var fallback: SlidingWindowLog?
    /// The account's two keys as command arguments, built once.
    private var keys: [RedisArgument]?

    /// The account's keys and the member its next acquire should find in the log (`newestMember`).
    mutating func lookUp(account: String, prefix: String, now: Double, windowSeconds: Double) -> (keys: [RedisArgument], expected: String?) {
        let keys = self.keys ?? {
            let names = RedisPacingScript.keys(prefix: prefix, account: account)
            return [RedisArgument(names.log), RedisArgument(names.coolDown)]
        }()
        self.keys = keys
        return (keys, newestMember(now: now, windowSeconds: windowSeconds))
    }

    /// The member of the newest own slot still safely inside the window (a second of margin for the two clocks).
    func newestMember(now: Double, windowSeconds: Double) -> String? {
        guard let newest = own.last, newest.time > now - windowSeconds + 1 else { return nil }
        return newest.member
    }

    mutating func recordShared(_ decision: PacingDecision, member: String, now: Double, windowSeconds: Double) {
        self.windowSeconds = windowSeconds
        prune(now: now)
        if case .granted(let wait, _) = decision { add(Slot(time: now + wait, member: member)) }
        let quota = decision.quota
        others = (max(0, quota.limit - quota.remaining - own.count), now)
        fallback = nil
    }

    mutating func noteCoolDown(until: Double) {
        coolDownUntil = max(coolDownUntil, until)
    }

    mutating func acquireInFallback(now: Double, policy: PacingPolicy, sharedLimit: Int, maxWaitSeconds: Double, member: String) -> PacingDecision {
        windowSeconds = policy.windowSeconds
        prune(now: now)
        var log = fallback ?? seeded(now: now, sharedLimit: sharedLimit)
        let decision = log.acquire(now: now, policy: policy, maxWaitSeconds: maxWaitSeconds)
        fallback = log
        if case .granted(let wait, _) = decision { add(Slot(time: now + wait, member: member)) }
        return decision
    }

    mutating func coolDownInFallback(now: Double, seconds: Double, policy: PacingPolicy, sharedLimit: Int) -> PacingQuota {
        windowSeconds = policy.windowSeconds
        prune(now: now)
        var log = fallback ?? seeded(now: now, sharedLimit: sharedLimit)
        let quota = log.coolDown(now: now, seconds: seconds, policy: policy)
        fallback = log
        return quota
    }

    /// The fallback window as it takes over: own slots, the others' last known slots at the time they were seen.
    private func seeded(now: Double, sharedLimit: Int) -> SlidingWindowLog {
        var slots = own.map(\.time)
        if let others, others.at > now - windowSeconds {
            slots.append(contentsOf: repeatElement(others.at, count: min(others.count, sharedLimit)))
        }
        return SlidingWindowLog(slots: slots, coolDownUntil: coolDownUntil)
    }

    /// What a replay sends: own slots in the window as offsets from `now`, the window, the cool-down left; nil when
    /// there is nothing to send.
    func replayable(now: Double) -> (slots: [RedisPacingReplayScript.Slot], windowSeconds: Double, coolDownSeconds: Double)? {
        let slots = own.filter { $0.time > now - windowSeconds }.map { RedisPacingReplayScript.Slot(offsetSeconds: $0.time - now, member: $0.member) }
        let coolDown = max(0, coolDownUntil - now)
        guard !slots.isEmpty || coolDown > 0 else { return nil }
        return (slots, windowSeconds, coolDown)
    }

    private mutating func add(_ slot: Slot) {
        // Slots come nearly in order (a later decision's slot is rarely earlier): insert from the back.
        var index = own.endIndex
        while index > own.startIndex && own[index - 1].time > slot.time { index -= 1 }
        own.insert(slot, at: index)
    }

    private mutating func prune(now: Double) {
        let horizon = now - windowSeconds
        if let keep = own.firstIndex(where: { $0.time > horizon }) {
            if keep > 0 { own.removeFirst(keep) }
        } else {
            own.removeAll(keepingCapacity: true)
        }
    }
}
