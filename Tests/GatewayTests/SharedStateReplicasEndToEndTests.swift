import Foundation
import Glibc
import KoreSimulator
import Synchronization
import TestSupport
import Testing

/// Several gateway processes (the real binary) against one real redis-server and one Kore.ai simulator that
/// enforces Kore.ai's limit itself: what replicas behind a Service do to one account's budget and to one
/// `Idempotency-Key`, and what a Redis outage changes. The budget is 10 a minute here (the simulator's too), so the
/// runs are short; the command timeout is the largest allowed (5 s), so that a loaded machine does not send a replica
/// to its fallback by itself (a stopped Redis refuses at once: no test waits for that timeout).
@Suite(.needs("redis-server", "redis-cli", "openssl"), .timeLimit(.minutes(2)))
struct SharedStateReplicasEndToEndTests {
    static let certificates = Result { try TestCertificates.make() }

    /// Sends `requests` at once, request i to `replicas[i % replicas.count]`; the answers in request order.
    static func concurrently(_ replicas: [ReplicaFixture.Replica], _ requests: [[UInt8]]) async -> [RawExchange] {
        await withTaskGroup(of: (Int, RawExchange).self) { group in
            for (i, request) in requests.enumerated() {
                let replica = replicas[i % replicas.count]
                group.addTask { (i, await replica.load.exchange(request)) }
            }
            var answers = [RawExchange?](repeating: nil, count: requests.count)
            for await (i, answer) in group { answers[i] = answer }
            return answers.compactMap { $0 }
        }
    }

    static func statuses(_ answers: [RawExchange]) -> [Int] { answers.map { $0.status ?? -1 } }

    static func head(_ answer: RawExchange) -> String {
        let end = RawHTTPLoad.headEnd(answer.received) ?? answer.received.count
        return String(decoding: answer.received[..<end], as: UTF8.self).lowercased()
    }

    /// Every answer is a 200, or the gateway's own `429 rate_limited` with a `Retry-After`.
    static func onlyGrantedOrRateLimited(_ answers: [RawExchange]) -> Bool {
        answers.allSatisfy { answer in
            answer.status == 200
                || (answer.status == 429 && answer.body.contains(#""code":"rate_limited""#) && head(answer).contains("retry-after: "))
        }
    }

    static func describe(_ answers: [RawExchange]) -> String {
        answers.map { "\($0.outcome) \($0.body.prefix(160))" }.joined(separator: "\n")
    }

    @Test func threeReplicasOnOneRedisShareEachAccountsBudgetAndEachIdempotencyKey() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.child.kill() }
        let fixture = try ReplicaFixture(tenants: ["spread", "single", "idem"])
        try await fixture.run { f in
            let block = #"{ "url": "\#(redis.url)/0", "timeoutMilliseconds": 5000, "keyPrefix": "cgw-test:" }"#
            async let first = f.launch("gateway-1.json") { f.config(port: $0, redis: block) }
            async let second = f.launch("gateway-2.json") { f.config(port: $0, redis: block) }
            async let third = f.launch("gateway-3.json") { f.config(port: $0, redis: block) }
            let replicas = try await [first, second, third]
            let limit = f.limit

            // Concurrent callers spread over the replicas: the account's budget once, not once per replica.
            let spread = f.account("spread")
            let spreadAnswers = await Self.concurrently(replicas, Array(repeating: ReplicaFixture.read(spread.tenant), count: 24))
            #expect(Self.statuses(spreadAnswers).filter { $0 == 200 }.count == limit, "\(Self.describe(spreadAnswers))")
            #expect(Self.onlyGrantedOrRateLimited(spreadAnswers), "\(Self.describe(spreadAnswers))")
            #expect(f.calls(spread).count == limit && f.calls(spread).allSatisfy { $0.responseStatus != 429 },
                    "Kore.ai received \(f.calls(spread).map(\.responseStatus))")

            // A caller on one replica gets the whole budget, not a replica's share of it.
            let single = f.account("single")
            let singleAnswers = await Self.concurrently([replicas[0]], Array(repeating: ReplicaFixture.read(single.tenant), count: limit + 2))
            #expect(Self.statuses(singleAnswers).filter { $0 == 200 }.count == limit, "\(Self.describe(singleAnswers))")
            #expect(Self.onlyGrantedOrRateLimited(singleAnswers), "\(Self.describe(singleAnswers))")
            #expect(f.calls(single).count == limit && f.calls(single).allSatisfy { $0.responseStatus != 429 })
            #expect(f.mostCallsInAnyWindow(spread) <= limit && f.mostCallsInAnyWindow(single) <= limit)

            // One Idempotency-Key used at once on every replica: one DELETE reaches Kore.ai. The simulator answers
            // slowly, so the others arrive while the first runs (409) or after it (its answer, replayed).
            let idem = f.account("idem")
            f.simulator.inject(.latency(milliseconds: 400), count: nil)
            let key = "order-7-cancel"
            let racing = await Self.concurrently(replicas, Array(repeating: ReplicaFixture.delete(idem.tenant, idempotencyKey: key), count: 6))
            f.simulator.clearFaults()
            let deletes = { f.calls(idem).filter { $0.method == "DELETE" }.count }
            #expect(deletes() == 1, "Kore.ai received \(deletes()) DELETEs\n\(Self.describe(racing))")
            let ran = racing.filter { $0.status == 200 && !Self.head($0).contains("idempotent-replayed: true") }
            #expect(ran.count == 1, "\(Self.describe(racing))")
            #expect(racing.allSatisfy { answer in
                answer.status == 200 || (answer.status == 409 && answer.body.contains(#""code":"idempotency_key_in_use""#))
            }, "\(Self.describe(racing))")
            // Afterwards every replica replays the stored answer.
            let retries = await Self.concurrently(replicas, Array(repeating: ReplicaFixture.delete(idem.tenant, idempotencyKey: key), count: 3))
            #expect(retries.allSatisfy { $0.status == 200 && Self.head($0).contains("idempotent-replayed: true") && $0.body == ran.first?.body },
                    "\(Self.describe(retries))")
            #expect(deletes() == 1)
            for replica in replicas {
                #expect(await ReplicaFixture.readiness(replica).sharedState["state"] == "up")
                #expect(await ReplicaFixture.metric(replica, "campaign_gateway_shared_state_up") == 1)
            }
        }
    }

    @Test func redisStoppedAndRestartedMidRunKeepsTheBudgetOverTLSWithAnACLUser() async throws {
        let pki = try await OffPool.run { try Self.certificates.get() }
        let arguments = ["--tls-cert-file", pki.good, "--tls-key-file", pki.key, "--tls-ca-cert-file", pki.caFile,
                         "--tls-auth-clients", "no", "--user", "gateway", "on", ">correct horse", "~*", "+@all", "--user", "default", "off"]
        var redis = try await RedisServerProcess.start(arguments, tls: true)
        let port = redis.port
        let fixture = try ReplicaFixture(tenants: ["outage", "refused"])
        try await fixture.run { f in
            try f.writeFile("redis.password", "correct horse\n")
            try f.writeFile("wrong.password", "battery staple\n")
            func block(_ passwordFile: String) -> String {
                #"{ "url": "rediss://127.0.0.1:\#(port)/0", "username": "gateway", "password": { "file": "\#(passwordFile)" }, "caFile": "\#(pki.caFile)", "timeoutMilliseconds": 5000 }"#
            }
            let good = block("redis.password"), wrong = block("wrong.password")
            async let first = f.launch("gateway-a.json") { f.config(port: $0, redis: good, fallbackReplicas: 2) }
            async let second = f.launch("gateway-b.json") { f.config(port: $0, redis: good, fallbackReplicas: 2) }
            async let third = f.launch("gateway-c.json") { f.config(port: $0, redis: wrong, fallbackReplicas: 2) }
            let (a, b, refused) = try await (first, second, third)
            let outage = f.account("outage")
            let fallbackShare = f.limit / 2
            var answers: [RawExchange] = []

            // A replica whose password Redis refuses serves from its fallback, and says so.
            let refusedRead = await refused.load.exchange(ReplicaFixture.read("refused"))
            #expect(refusedRead.status == 200, "\(refusedRead.outcome) \(refusedRead.body)")
            let refusedState = await ReplicaFixture.readiness(refused)
            #expect(refusedState.status == 200 && refusedState.sharedState["state"] == "fallback"
                    && refusedState.sharedState["lastError"]?.contains("WRONGPASS") == true, "\(refusedState.body)")
            #expect(await ReplicaFixture.metric(refused, "campaign_gateway_shared_state_up") == 0)

            // Before: four calls through the shared budget.
            let before = await Self.concurrently([a], Array(repeating: ReplicaFixture.read(outage.tenant), count: 4))
            answers += before
            #expect(Self.statuses(before) == [200, 200, 200, 200], "\(Self.describe(before))")
            #expect(await ReplicaFixture.readiness(a).sharedState["state"] == "up")

            // Redis gone: each replica paces alone at limit / fallbackReplicas, the calls it knows of counted; the
            // replicas stay ready and say so; a write with an Idempotency-Key is refused rather than run unprotected.
            await redis.stop()
            let duringA = await Self.concurrently([a], Array(repeating: ReplicaFixture.read(outage.tenant), count: 4))
            let duringB = await Self.concurrently([b], Array(repeating: ReplicaFixture.read(outage.tenant), count: 4))
            answers += duringA + duringB
            #expect(Self.onlyGrantedOrRateLimited(duringA + duringB), "\(Self.describe(duringA + duringB))")
            #expect(4 + Self.statuses(duringA).filter { $0 == 200 }.count <= fallbackShare, "\(Self.describe(duringA))")
            #expect(Self.statuses(duringB).filter { $0 == 200 }.count <= fallbackShare, "\(Self.describe(duringB))")
            for replica in [a, b] {
                let state = await ReplicaFixture.readiness(replica)
                #expect(state.status == 200 && state.sharedState["state"] == "fallback", "\(state.body)")
                #expect(await ReplicaFixture.metric(replica, "campaign_gateway_shared_state_up") == 0)
                #expect((await ReplicaFixture.metric(replica, "campaign_gateway_shared_state_fallback_total") ?? 0) >= 1)
            }
            #expect(a.process.events("shared_state_down").count == 1, "\(a.process.output.suffix(3000))")
            let unprotected = await a.load.exchange(ReplicaFixture.delete(outage.tenant, idempotencyKey: "during-outage"))
            #expect(unprotected.status == 503 && unprotected.body.contains(#""code":"idempotency_unavailable""#)
                    && unprotected.body.contains(#""retryable":true"#), "\(unprotected.outcome) \(unprotected.body)")
            #expect(!f.calls(outage).contains { $0.method == "DELETE" })

            // Redis back, empty: the replicas return to the shared budget, and what they did alone still counts.
            redis = try await RedisServerProcess.start(arguments, port: port, tls: true)
            for replica in [a, b] {
                let (up, last) = await ReplicaFixture.waitForSharedState(replica, "up")
                #expect(up, "not back on the shared budget: \(last)\n\(replica.process.output.suffix(3000))")
            }
            let after = await Self.concurrently([a, b], Array(repeating: ReplicaFixture.read(outage.tenant), count: 8))
            answers += after
            #expect(Self.onlyGrantedOrRateLimited(after), "\(Self.describe(after))")
            #expect(a.process.events("shared_state_up").count >= 1)

            // At Kore.ai: never more than the budget in a window, never a 429 of its own, and no failed request
            // other than the gateway's 429.
            #expect(Self.onlyGrantedOrRateLimited(answers), "\(Self.describe(answers))")
            #expect(f.mostCallsInAnyWindow(outage) <= f.limit, "Kore.ai received \(f.calls(outage).count) calls")
            #expect(f.calls(outage).allSatisfy { $0.responseStatus != 429 }, "Kore.ai answered \(f.calls(outage).map(\.responseStatus))")
            // Nor less: 4 before, 1 + 4 alone, and the one slot left after Redis came back (with the calls made
            // before and during the outage put back into its empty window).
            #expect(f.calls(outage).count == f.limit, "\(Self.describe(answers))")
        }
        redis.child.kill()
    }

    @Test func aGatewayStartsWithRedisUnreachableAndAReloadReplacesTheClientOnlyWhenTheBlockChanges() async throws {
        let port = try FreePort.find()
        let fixture = try ReplicaFixture(tenants: ["reload"])
        try await fixture.run { f in
            @Sendable func block(_ prefix: String) -> String {
                #"{ "url": "redis://127.0.0.1:\#(port)/0", "timeoutMilliseconds": 5000, "keyPrefix": "\#(prefix)" }"#
            }
            let gateway = try await f.launch("gateway.json") { f.config(port: $0, redis: block("cgw1:"), upstreamTimeoutSeconds: 2) }
            let read = ReplicaFixture.read("reload")
            // Nothing listens yet: the gateway says so before any request, serves from its fallback and stays ready.
            let (noticed, seen) = await ReplicaFixture.waitForSharedState(gateway, "fallback")
            #expect(noticed, "\(seen)")
            let alone = await gateway.load.exchange(read)
            #expect(alone.status == 200, "\(alone.outcome) \(alone.body)")
            let fallback = await ReplicaFixture.readiness(gateway)
            #expect(fallback.status == 200 && fallback.sharedState["state"] == "fallback" && fallback.sharedState["backend"] == "redis",
                    "\(fallback.body)")
            #expect(gateway.process.events("redis_eviction_policy").first?["level"] as? String == "warn")

            let redis = try await RedisServerProcess.start(["--maxmemory-policy", "allkeys-lru"], port: port)
            defer { redis.child.kill() }
            let (up, last) = await ReplicaFixture.waitForSharedState(gateway, "up")
            #expect(up, "\(last)")
            for _ in 0..<3 { _ = await gateway.load.exchange(read) }
            let before = try await Self.gatewayConnections(redis)
            #expect(!before.isEmpty)
            #expect(try await redis.cli(["--scan", "--pattern", "cgw1:*"]).output.contains("cgw1:"))

            // A reload that leaves the block alone keeps the client and its connections.
            try f.replaceFile(gateway.configName, f.config(port: gateway.process.port, redis: block("cgw1:"), upstreamTimeoutSeconds: 2.5))
            gateway.process.signal(SIGHUP)
            try await gateway.process.waitFor(event: "reloaded", count: 1)
            try await Task.sleep(nanoseconds: 3_000_000_000)  // longer than a retired client's grace (the upstream timeout)
            _ = await gateway.load.exchange(read)
            let kept = try await Self.gatewayConnections(redis)
            #expect(before.isSubset(of: kept), "before \(before), after \(kept)")

            // A changed block: a new client (new connections, the new prefix), the old one closed after its grace, and
            // the eviction policy checked again.
            try f.replaceFile(gateway.configName, f.config(port: gateway.process.port, redis: block("cgw2:"), upstreamTimeoutSeconds: 2.5))
            gateway.process.signal(SIGHUP)
            try await gateway.process.waitFor(event: "reloaded", count: 2)
            let changed = gateway.process.events("reloaded").last?["changed"] as? [String] ?? []
            #expect(changed.contains("redis.keyPrefix: cgw1: -> cgw2:"), "\(changed)")
            let replaced = await gateway.load.exchange(read)
            #expect(replaced.status == 200 || replaced.status == 429, "\(replaced.outcome) \(replaced.body)")
            #expect(try await redis.cli(["--scan", "--pattern", "cgw2:*"]).output.contains("cgw2:"))
            var now: Set<String> = []
            for _ in 0..<150 {
                now = try await Self.gatewayConnections(redis)
                if before.isDisjoint(with: now) && !now.isEmpty { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            #expect(before.isDisjoint(with: now) && !now.isEmpty, "the old client's connections \(before), now \(now)")
            let warnings = gateway.process.events("redis_eviction_policy").filter { ($0["message"] as? String)?.contains("allkeys-lru") == true }
            #expect(warnings.count == 1 && warnings.first?["level"] as? String == "warn", "\(gateway.process.output.suffix(3000))")
        }
    }

    @Test func checkConfigPingsRedisAsTheGatewayWouldAndSaysWhatItFound() async throws {
        let redis = try await RedisServerProcess.start(["--user", "gateway", "on", ">correct horse", "~cgw:*", "+@all", "-@dangerous",
                                                        "+config|get", "--user", "default", "off", "--maxmemory-policy", "allkeys-lru"])
        defer { redis.child.kill() }
        let fixture = try ReplicaFixture(tenants: ["check"])
        try await fixture.run { f in
            try f.writeFile("redis.password", "correct horse\n")
            try f.writeFile("wrong.password", "battery staple\n")
            let binary = try BinaryLocator.path("campaign-gateway")
            func check(_ url: String, _ passwordFile: String) async throws -> BinaryLocator.Output {
                let block = #"{ "url": "\#(url)", "username": "gateway", "password": { "file": "\#(passwordFile)" } }"#
                try f.writeFile("check.json", f.config(port: 8080, redis: block))
                let path = f.directory + "/check.json"
                return try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path, "--ping-redis"], environment: [:]) }
            }
            let ok = try await check(redis.url + "/0", "redis.password")
            #expect(ok.status == 0 && ok.output.contains("redis: \(redis.url)/0 answered PING after AUTH"), "\(ok.output)")
            #expect(ok.output.contains("warning: Redis's maxmemory-policy is allkeys-lru"), "\(ok.output)")
            #expect(!ok.output.contains("correct horse"), "\(ok.output)")
            let refused = try await check(redis.url + "/0", "wrong.password")
            #expect(refused.status == 1 && refused.output.contains("WRONGPASS") && !refused.output.contains("battery staple"), "\(refused.output)")
            let closed = try FreePort.find()
            let unreachable = try await check("redis://127.0.0.1:\(closed)/0", "redis.password")
            #expect(unreachable.status == 1 && unreachable.output.contains("127.0.0.1:\(closed)"), "\(unreachable.output)")
        }
    }

    /// The ids of the connections Redis has, other than redis-cli's own.
    static func gatewayConnections(_ redis: RedisServerProcess) async throws -> Set<String> {
        try await OffPool.run { try gatewayConnectionsBlocking(redis) }
    }

    static func gatewayConnectionsBlocking(_ redis: RedisServerProcess) throws -> Set<String> {
        let list = try redis.cli(["CLIENT", "LIST"]).output
        var ids = Set<String>()
        for line in list.split(separator: "\n") where !line.contains("cmd=client|list") {
            if let id = line.split(separator: " ").first(where: { $0.hasPrefix("id=") }) { ids.insert(String(id)) }
        }
        return ids
    }
}
