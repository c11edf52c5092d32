import Foundation
@testable import Gateway
import JSONCore
import RedisClient
import Synchronization
import TestSupport
import Testing

/// The Redis-backed stores against a real `redis-server` on loopback, through the gateway's own client: replicas
/// (stores with links of their own) share one budget exactly, in one round trip per decision; an error answer, a
/// killed Redis and one that never answers (a fake) send decisions to the fallback at the cost of one timeout, logged and counted
/// once; the budget holds when Redis comes back, also empty; idempotency claims race to one winner across replicas
/// and are unavailable while Redis is down.
@Suite(.needs("redis-server", "redis-cli"), .timeLimit(.minutes(2)))
struct RedisSharedStateTests {
    static func granted(_ decision: PacingDecision) -> Bool {
        if case .granted = decision { return true }
        return false
    }

    static func grants(_ store: RedisPacingStore, account: String, policy: PacingPolicy, tries: Int) async -> Int {
        var count = 0
        for _ in 0..<tries where granted(await store.acquire(account: account, policy: policy, maxWaitSeconds: 0)) { count += 1 }
        return count
    }

    static func zcard(_ server: RedisServerProcess, account: String) async throws -> Int {
        let key = RedisPacingScript.keys(prefix: "cgw:", account: account).log
        return Int(try await server.cli(["ZCARD", key]).output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Two replicas, 30 concurrent calls spread over both against a budget of 10: exactly 10 go. One replica alone
    /// gets the whole budget of another account. Each decision is one `EVALSHA` and nothing else.
    @Test func twoReplicasShareOneBudgetExactlyInOneRoundTripPerDecision() async throws {
        let server = try await RedisServerProcess.start()
        let a = try SharedStateLinkFixture(url: server.url, watchIntervalSeconds: 600)
        let b = try SharedStateLinkFixture(url: server.url, watchIntervalSeconds: 600)
        let stores = [RedisPacingStore(link: a.link, fallbackReplicas: 2), RedisPacingStore(link: b.link, fallbackReplicas: 2)]
        let policy = PacingPolicy(limit: 10, windowSeconds: 60)
        let shared = await withTaskGroup(of: Bool.self) { group in
            for call in 0..<30 {
                let store = stores[call % 2]
                group.addTask { Self.granted(await store.acquire(account: "acct-shared", policy: policy, maxWaitSeconds: 0)) }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(shared == 10)

        let before = try await SharedStateLinkFixture.commandCalls(server)
        let alone = await Self.grants(stores[0], account: "acct-alone", policy: policy, tries: 15)
        let after = try await SharedStateLinkFixture.commandCalls(server)
        #expect(alone == 10, "one replica gets the whole budget")
        // commandstats also counts the commands a script runs inside Redis: those are not round trips.
        let insideTheScript: Set<String> = ["time", "zscore", "zremrangebyscore", "get", "set", "zcard", "zrange", "zadd", "pexpire"]
        var executed = after
        executed["info", default: 0] -= 1  // the INFO that took `before`
        let delta = executed.compactMap { name, calls in
            calls - (before[name] ?? 0) > 0 && !insideTheScript.contains(name) ? "\(name): \(calls - (before[name] ?? 0))" : nil
        }
        #expect(delta == ["evalsha: 15"], "Redis was sent \(delta) for 15 decisions")

        let refused = await stores[1].acquire(account: "acct-alone", policy: policy, maxWaitSeconds: 0)
        guard case .limited(let retryAfter, let quota) = refused else {
            Issue.record("the other replica was granted an 11th call: \(refused)")
            await server.stop()
            return
        }
        #expect(retryAfter > 30 && retryAfter <= 60 && quota.limit == 10 && quota.remaining == 0, "\(refused)")
        #expect(a.metrics.fallbackDecisionCount == 0 && b.metrics.fallbackDecisionCount == 0)
        #expect(a.link.status.state == .up && a.metrics.upValue == 1 && a.count(event: "shared_state_up") == 1)
        await server.stop()
        await a.link.shutdown()
        await b.link.shutdown()
    }

    /// An error answer (the account's key holds a string: WRONGTYPE) is an outage for the breaker: that call and the
    /// ones after it are decided by the fallback (a quarter of 20: 5 in the window, 2 of them already used), only the
    /// first reaches Redis, the change is logged once and counted. A probe before its backoff does nothing; one that
    /// cannot replay keeps the fallback; the next one replays the 5 slots and the shared budget goes on from 5.
    @Test func anErrorAnswerSendsDecisionsToTheFallbackUntilAProbeReplaysItsSlots() async throws {
        let server = try await RedisServerProcess.start()
        let clock = ManualClock<Double>(1000)
        let f = try SharedStateLinkFixture(url: server.url, clock: clock)
        let store = RedisPacingStore(link: f.link, fallbackReplicas: 4)
        let policy = PacingPolicy(limit: 20, windowSeconds: 60)
        #expect(await Self.grants(store, account: "acct-x", policy: policy, tries: 2) == 2)
        #expect(f.link.status.state == .up)

        let key = RedisPacingScript.keys(prefix: "cgw:", account: "acct-x").log
        _ = try await server.cli(["SET", key, "not a sorted set"])
        let before = try await SharedStateLinkFixture.commandCalls(server)
        var decisions: [PacingDecision] = []
        for _ in 0..<6 { decisions.append(await store.acquire(account: "acct-x", policy: policy, maxWaitSeconds: 0)) }
        let after = try await SharedStateLinkFixture.commandCalls(server)
        #expect(decisions.filter(Self.granted).count == 3, "\(decisions)")
        #expect(decisions.allSatisfy { $0.quota.limit == 5 }, "the quota says the fallback's limit")
        #expect(after["evalsha", default: 0] - before["evalsha", default: 0] == 1, "only the failing call reached Redis")
        #expect(f.metrics.fallbackDecisionCount == 6 && f.metrics.upValue == 0)
        #expect(f.count(event: "shared_state_down") == 1)
        #expect(f.link.status.state == .fallback && f.link.status.lastError?.contains("WRONGTYPE") == true, "\(f.link.status)")

        #expect(await f.link.probeIfDue() == false)
        #expect(try await SharedStateLinkFixture.commandCalls(server)["ping"] == nil, "a probe before its backoff")
        clock.advance(1)
        #expect(await f.link.probeIfDue() == false, "the replay cannot write to the broken key")
        #expect(f.link.status.state == .fallback)
        _ = try await server.cli(["DEL", key])
        clock.advance(1)
        #expect(await f.link.probeIfDue() == false, "the backoff doubled to 2 s")
        clock.advance(1)
        #expect(await f.link.probeIfDue() == true)
        #expect(f.link.status.state == .up && f.metrics.upValue == 1 && f.count(event: "shared_state_up") == 2)
        #expect(try await Self.zcard(server, account: "acct-x") == 5, "2 shared and 3 fallback slots replayed")
        #expect(await Self.grants(store, account: "acct-x", policy: policy, tries: 20) == 15)
        #expect(f.count(event: "shared_state_down") == 1)
        await server.stop()
        await f.link.shutdown()
    }

    /// Redis killed: the next decision costs at most one timeout and comes from the fallback (4 of 8 per window for
    /// 2 replicas, 2 already used). Redis started again, empty, on the same port: the background probe puts the
    /// replica's 4 slots back before sharing again, so a second replica finds 4 left: 8 in the window, as before.
    @Test func aKilledRedisCostsOneTimeoutAndTheBudgetHoldsAfterItRestartsEmpty() async throws {
        let server = try await RedisServerProcess.start()
        let port = server.port
        // A stopped Redis refuses at once: the generous timeout only keeps a loaded machine's slow answers shared.
        let a = try SharedStateLinkFixture(url: server.url)
        let b = try SharedStateLinkFixture(url: server.url)
        let storeA = RedisPacingStore(link: a.link, fallbackReplicas: 2), storeB = RedisPacingStore(link: b.link, fallbackReplicas: 2)
        let policy = PacingPolicy(limit: 8, windowSeconds: 60)
        #expect(await Self.grants(storeA, account: "acct-r", policy: policy, tries: 2) == 2)
        await server.stop()

        let (first, seconds) = try await OwnThread.run { _ in
            let start = ContinuousClock.now
            let decision = await storeA.acquire(account: "acct-r", policy: policy, maxWaitSeconds: 0)
            let elapsed = ContinuousClock.now - start
            return (decision, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        #expect(Self.granted(first) && first.quota.limit == 4, "\(first)")
        #expect(seconds < 5 + 2, "the first decision after the kill took \(seconds) s")
        #expect(await Self.grants(storeA, account: "acct-r", policy: policy, tries: 3) == 1, "the fallback's 4 are used up")
        #expect(a.count(event: "shared_state_down") == 1 && a.metrics.upValue == 0 && a.metrics.fallbackDecisionCount == 4)

        let restarted = try await RedisServerProcess.start(port: port)
        let back = await OffPool.poll(seconds: 20) { a.link.isUp }
        #expect(back, "no probe succeeded: \(a.link.status)")
        #expect(a.count(event: "shared_state_up") == 2, "the first contact and the return")
        #expect(try await Self.zcard(restarted, account: "acct-r") == 4, "the replica's 4 slots are back in Redis")
        #expect(await Self.grants(storeB, account: "acct-r", policy: policy, tries: 8) == 4)
        #expect(b.metrics.fallbackDecisionCount == 0, "the second replica decided on the shared window")
        #expect(await Self.grants(storeA, account: "acct-r", policy: policy, tries: 2) == 0)
        await restarted.stop()
        await a.link.shutdown()
        await b.link.shutdown()
    }

    /// Redis restarted empty between two calls of a replica that never saw it down: its next call names its newest
    /// slot, the script finds it missing, and the replica puts its slots back before the decision.
    @Test func aReplicaPutsItsSlotsBackWhenRedisLostThemWithoutAnOutage() async throws {
        let server = try await RedisServerProcess.start()
        let f = try SharedStateLinkFixture(url: server.url)
        let store = RedisPacingStore(link: f.link, fallbackReplicas: 2)
        let policy = PacingPolicy(limit: 6, windowSeconds: 60)
        #expect(await Self.grants(store, account: "acct-f", policy: policy, tries: 3) == 3)
        _ = try await server.cli(["FLUSHALL"])
        #expect(try await Self.zcard(server, account: "acct-f") == 0)
        #expect(await Self.grants(store, account: "acct-f", policy: policy, tries: 6) == 3, "3 + 3 = the budget of 6")
        #expect(f.metrics.fallbackDecisionCount == 0 && f.count(event: "shared_state_down") == 0)
        #expect(try await Self.zcard(server, account: "acct-f") == 6)
        await server.stop()
        await f.link.shutdown()
    }

    /// Redis flushed while a replica is idle: its watcher finds its marker gone and puts its slots back within
    /// about a watch interval, without a call of its own, so another replica finds the budget as it was.
    @Test func anIdleReplicasWatcherPutsItsSlotsBackWhenRedisLostThem() async throws {
        let server = try await RedisServerProcess.start()
        let a = try SharedStateLinkFixture(url: server.url, watchIntervalSeconds: 0.1), b = try SharedStateLinkFixture(url: server.url)
        let storeA = RedisPacingStore(link: a.link, fallbackReplicas: 2), storeB = RedisPacingStore(link: b.link, fallbackReplicas: 2)
        let policy = PacingPolicy(limit: 6, windowSeconds: 60)
        a.link.start()
        #expect(await Self.grants(storeA, account: "acct-i", policy: policy, tries: 3) == 3)
        var marked = false
        for _ in 0..<200 where !marked {
            marked = try await server.cli(["EXISTS", a.link.markerKey]).output.hasPrefix("1")
            if !marked { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(marked, "the watcher never wrote its marker")
        _ = try await server.cli(["FLUSHALL"])
        var restored = 0
        for _ in 0..<200 where restored != 3 {
            restored = try await Self.zcard(server, account: "acct-i")
            if restored != 3 { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(restored == 3, "the idle replica's slots were not put back")
        #expect(a.count(event: "shared_state_lost") == 1 && a.count(event: "shared_state_down") == 0)
        #expect(await Self.grants(storeB, account: "acct-i", policy: policy, tries: 6) == 3)
        await server.stop()
        await a.link.shutdown()
        await b.link.shutdown()
    }

    /// A Redis that takes commands and never answers (a fake server that only reads) costs one decision the
    /// timeout; the decisions after it come from the fallback at once and never reach it: it saw one command.
    @Test func aRedisThatDoesNotAnswerCostsOneDecisionTheTimeoutOnce() async throws {
        let (server, received) = try Self.silentRedis()
        let f = try SharedStateLinkFixture(url: "redis://127.0.0.1:\(server.port)", timeoutSeconds: 0.3)
        let store = RedisPacingStore(link: f.link, fallbackReplicas: 2)
        let policy = PacingPolicy(limit: 40, windowSeconds: 60)
        let (first, seconds) = try await OwnThread.run { _ in
            let start = ContinuousClock.now
            let decision = await store.acquire(account: "acct-s", policy: policy, maxWaitSeconds: 0)
            let elapsed = ContinuousClock.now - start
            return (decision, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        #expect(Self.granted(first) && first.quota.limit == 20, "\(first)")
        #expect(seconds >= 0.25 && seconds < 0.3 + 5, "the timed-out decision took \(seconds) s")
        #expect(await Self.grants(store, account: "acct-s", policy: policy, tries: 5) == 5)
        #expect(f.count(event: "shared_state_down") == 1 && f.link.status.lastError?.contains("within 0.3 s") == true, "\(f.link.status)")
        await f.link.shutdown()
        #expect(received() == 1 && server.connections == 1, "Redis saw \(received()) commands on \(server.connections) connections")
    }

    /// A reload shuts the old link down while one of its commands is still waiting for Redis: that command's failure
    /// belongs to no link any more, so it neither logs an outage nor moves the gauge the new link now reports on.
    @Test func aCommandFailingAfterItsLinkShutDownIsNoOutage() async throws {
        let (server, received) = try Self.silentRedis()
        let metrics = SharedStateMetrics()
        let f = try SharedStateLinkFixture(url: "redis://127.0.0.1:\(server.port)", timeoutSeconds: 30, metrics: metrics)
        let store = RedisPacingStore(link: f.link, fallbackReplicas: 2)
        metrics.attach(up: true)
        let pending = Task { await store.acquire(account: "acct-r", policy: PacingPolicy(limit: 40), maxWaitSeconds: 0) }
        let sent = await OffPool.poll(seconds: 30) { received() >= 1 }
        #expect(sent, "the fake Redis never received the pacing command")
        await f.link.shutdown()
        let decision = await pending.value
        #expect(decision.quota.limit == 20, "the decision in flight is made by the fallback: \(decision)")
        #expect(f.count(event: "shared_state_down") == 0, "a shut-down link logged an outage: \(f.lines.text)")
        #expect(metrics.upValue == 1, "a shut-down link set the gauge to \(String(describing: metrics.upValue))")
    }

    /// A fake Redis that takes commands and never answers, and how many commands it has received.
    static func silentRedis() throws -> (FakeRedisServer, received: @Sendable () -> Int) {
        let received = Mutex(0)
        let server = try FakeRedisServer { connection in
            while true {
                let commands = FakeConnection.commandCount(connection.readCommands(1))
                guard commands > 0 else { return }
                received.withLock { $0 += commands }
            }
        }
        return (server, { received.withLock { $0 } })
    }

    static let fingerprint = [UInt8](repeating: 3, count: 32)
    static let answer = StoredAnswer(status: 201, headers: [.init(name: "Location", value: "/campaigns/sms/cd-9")], body: Array("{\"id\":\"cd-9\"}".utf8))

    /// Sixteen concurrent claims of one key on two replicas: one runs; the others see it running; once it completed,
    /// the other replica replays its answer. A broken record refuses that key only; an answer over the cap is not
    /// kept; with Redis gone a claim is unavailable at once.
    @Test func idempotencyClaimsRaceToOneWinnerAcrossReplicas() async throws {
        let server = try await RedisServerProcess.start()
        let a = try SharedStateLinkFixture(url: server.url), b = try SharedStateLinkFixture(url: server.url)
        let stores = [RedisIdempotencyStore(link: a.link, maxAnswerBytes: 2048), RedisIdempotencyStore(link: b.link)]
        let key = String(repeating: "e", count: 64)
        let claims = await withTaskGroup(of: (Int, IdempotencyClaim).self) { group in
            for call in 0..<16 {
                let store = call % 2
                group.addTask { (store, await stores[store].claim(key: key, fingerprint: Self.fingerprint, leaseSeconds: 30)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = claims.compactMap { store, claim -> (Int, String)? in
            if case .claimed(let token) = claim { return (store, token) }
            return nil
        }
        #expect(winners.count == 1, "\(claims)")
        #expect(claims.filter { $0.1 == .inProgress(retryAfterSeconds: 1) }.count == 15, "\(claims)")
        guard let (holder, token) = winners.first else {
            await server.stop()
            return
        }
        await stores[1 - holder].complete(key: key, token: "not-the-holder", answer: Self.answer, ttlSeconds: 60)
        #expect(await stores[holder].peek(key: key, fingerprint: Self.fingerprint) == .inProgress(retryAfterSeconds: 1))
        await stores[holder].complete(key: key, token: token, answer: Self.answer, ttlSeconds: 60)
        #expect(await stores[1 - holder].claim(key: key, fingerprint: Self.fingerprint, leaseSeconds: 30) == .stored(Self.answer))
        #expect(await stores[1 - holder].claim(key: key, fingerprint: [UInt8](repeating: 4, count: 32), leaseSeconds: 30) == .otherRequest)

        let broken = String(repeating: "f", count: 64)
        _ = try await server.cli(["SET", RedisIdempotencyScript.key(prefix: "cgw:", storeKey: broken), "garbage"])
        #expect(await stores[0].claim(key: broken, fingerprint: Self.fingerprint, leaseSeconds: 30) == .unavailable)
        #expect(a.link.status.state == .up, "a broken record is not an outage")

        let large = String(repeating: "9", count: 64)
        guard case .claimed(let largeToken) = await stores[0].claim(key: large, fingerprint: Self.fingerprint, leaseSeconds: 30) else {
            Issue.record("a fresh key was not claimed")
            await server.stop()
            return
        }
        await stores[0].complete(key: large, token: largeToken, answer: StoredAnswer(status: 200, headers: [], body: [UInt8](repeating: 65, count: 4096)), ttlSeconds: 60)
        guard case .claimed = await stores[1].claim(key: large, fingerprint: Self.fingerprint, leaseSeconds: 30) else {
            Issue.record("an answer over the cap was kept or the key stayed claimed")
            await server.stop()
            return
        }
        #expect(a.count(event: "idempotency_answer_not_kept") == 1)

        await server.stop()
        #expect(await stores[0].claim(key: String(repeating: "1", count: 64), fingerprint: Self.fingerprint, leaseSeconds: 30) == .unavailable)
        #expect(a.link.status.state == .fallback)
        #expect(await stores[0].peek(key: key, fingerprint: Self.fingerprint) == .unavailable, "the breaker is open: no call at all")
        await a.link.shutdown()
        await b.link.shutdown()
    }

    /// What the wiring asks of a link: `start` finds Redis up, or refusing the password (then in the fallback, with
    /// the reason); `ping` for check-config; the eviction policy read, or its read refused by the ACL (a warning).
    @Test func startPingAndTheEvictionCheck() async throws {
        let server = try await RedisServerProcess.start(["--user", "limited", "on", ">limited-pw", "~*", "+@all", "-config"])
        let good = try SharedStateLinkFixture(url: server.url)
        let limited = try SharedStateLinkFixture(url: server.url, username: "limited", password: "limited-pw")
        let refused = try SharedStateLinkFixture(url: server.url, username: "limited", password: "wrong")
        #expect(good.link.status.state == .connecting)
        good.link.start()
        refused.link.start()
        let settled = await OffPool.poll(seconds: 20) { good.link.status.state == .up && refused.link.status.state == .fallback }
        #expect(settled, "\(good.link.status) \(refused.link.status)")
        #expect(good.count(event: "shared_state_up") == 1 && refused.count(event: "shared_state_down") == 1)
        #expect(refused.link.status.lastError?.contains("WRONGPASS") == true, "\(refused.link.status)")
        #expect(good.link.status.json["state"]?.stringValue == "up")

        let pinged: Bool
        if case .success = await good.link.ping() { pinged = true } else { pinged = false }
        #expect(pinged)
        guard case .failure(.authenticationFailed) = await refused.link.ping() else {
            Issue.record("a refused password pinged")
            await server.stop()
            return
        }
        #expect(await good.link.checkEviction() == .noEviction)
        _ = try await server.cli(["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"])
        let evicts = await good.link.checkEviction()
        #expect(evicts == .evicts(policy: "allkeys-lru", maxmemoryBytes: 0) && !evicts.isSafe && evicts.message.contains("noeviction"), "\(evicts)")
        let unknown = await limited.link.checkEviction()
        guard case .notAllowed(let reason) = unknown else {
            Issue.record("the ACL's refusal was not reported as such: \(unknown)")
            await server.stop()
            return
        }
        #expect(reason.contains("NOPERM") && unknown.message.contains("make sure"), "\(unknown.message)")
        await server.stop()
        #expect(await good.link.checkEviction().isSafe == false)
        for fixture in [good, limited, refused] { await fixture.link.shutdown() }
    }

    /// Answers no real Redis gives (a fake server on loopback answers every command with them): each is an error
    /// for that call, the decision comes from the fallback and the claim is unavailable; nothing crashes or hangs.
    @Test(arguments: ["+OK\r\n", ":7\r\n", "$-1\r\n", "*6\r\n:1\r\n:0\r\n:10\r\n:99\r\n:0\r\n:0\r\n", "*2\r\n:0\r\n:5\r\n",
                      "*1\r\n$1\r\nx\r\n", "HTTP/1.1 400 Bad Request\r\n\r\n", "-ERR boom\r\n", "*3\r\n:1\r\n"])
    func answersNoRedisGivesAreFailuresOfThatCall(_ reply: String) async throws {
        let server = try FakeRedisServer { connection in
            while FakeConnection.commandCount(connection.readCommands(1)) > 0 { connection.write(reply) }
        }
        let pacing = try SharedStateLinkFixture(url: "redis://127.0.0.1:\(server.port)", timeoutSeconds: 0.5)
        let idempotency = try SharedStateLinkFixture(url: "redis://127.0.0.1:\(server.port)", timeoutSeconds: 0.5)
        let decision = await RedisPacingStore(link: pacing.link, fallbackReplicas: 2)
            .acquire(account: "acct-h", policy: PacingPolicy(limit: 10, windowSeconds: 60), maxWaitSeconds: 0)
        let claim = await RedisIdempotencyStore(link: idempotency.link).claim(key: String(repeating: "a", count: 64), fingerprint: Self.fingerprint, leaseSeconds: 30)
        #expect(Self.granted(decision) && decision.quota.limit == 5, "\(decision)")
        #expect(pacing.link.status.state == .fallback && pacing.count(event: "shared_state_down") == 1, "\(pacing.link.status)")
        #expect(claim == .unavailable)
        await pacing.link.shutdown()
        await idempotency.link.shutdown()
    }

    /// The decoding of a script's reply: anything but an array of at most 16 integers is a broken answer.
    @Test func repliesThatAreNotIntegersAreRefused() throws {
        #expect(throws: RedisError.self) { try RedisPacingStore.integers(.integer(1)) }
        #expect(throws: RedisError.self) { try RedisPacingStore.integers(.array([.integer(1), .bulkString([0x31])])) }
        #expect(throws: RedisError.self) { try RedisPacingStore.integers(.array(Array(repeating: .integer(0), count: 17))) }
        #expect(try RedisPacingStore.integers(.array([.integer(1), .integer(-2)])) == [1, -2])
        #expect(RedisPacingScript.decision(reply: [1, 0, 10, 11, 0, 0], windowSeconds: 60) == nil, "remaining above the limit")
        #expect(throws: RedisError.self) { try RedisIdempotencyStore.flag(.integer(2)) }
        #expect(throws: RedisError.self) { try RedisIdempotencyStore.flag(.simpleString("OK")) }
    }
}
