import Foundation
import KoreSimulator
@testable import Gateway
import TestSupport
import Testing

/// Two gateways (each with its own simulator) whose stores share one real `redis-server`, over HTTP: a create
/// with an `Idempotency-Key` on one is replayed by the other without a second write; with Redis stopped, a write
/// with a key is a retryable 503 while reads go on from the pacing fallback, and `/metrics` says so.
@Suite(.needs("redis-server", "redis-cli"), .timeLimit(.minutes(2)))
struct SharedStateEndToEndTests {
    /// Gives `h` Redis-backed stores through a link reporting to its observer's metrics.
    static func share(_ h: GatewayHarness, url: String) throws -> SharedStateLinkFixture {
        let observer = h.runtime.handler.observer
        let fixture = try SharedStateLinkFixture(url: url, metrics: observer.sharedState)
        let current = h.runtime.handler.state
        h.runtime.handler.replaceState(GatewayState(config: current.config, transport: current.caller.transport, observer: observer,
                                                    pacingStore: RedisPacingStore(link: fixture.link, fallbackReplicas: 2),
                                                    idempotencyStore: RedisIdempotencyStore(link: fixture.link)))
        return fixture
    }

    @Test func idempotentWritesAreSharedAcrossGatewaysAndRefusedWhileRedisIsDown() async throws {
        let server = try await RedisServerProcess.start()
        let first = try GatewayHarness(), second = try GatewayHarness()
        let withoutRedis = try await first.send("GET", "/metrics", key: nil).text
        let links = [try Self.share(first, url: server.url), try Self.share(second, url: server.url)]
        let body = Samples.data(CampaignAPI.smsCreate("plain", name: "Shared once", v2: true))
        let key = ["Idempotency-Key": "shared-\(UUID().uuidString)"]

        let created = try await first.send("POST", "/campaigns/sms", tenant: "v2", headers: key, body: body)
        let replayed = try await second.send("POST", "/campaigns/sms", tenant: "v2", headers: key, body: body)
        let postsAtSecond = second.simulator.calls.filter { $0.method == "POST" }.count

        await server.stop()
        let refused = try await first.send("POST", "/campaigns/sms", tenant: "v2", headers: ["Idempotency-Key": "another-key"], body: body)
        let read = try await first.send("GET", "/campaigns/sms/\(Samples.v2SmsDelete)", tenant: "v2")
        let metrics = try await first.send("GET", "/metrics", key: nil).text
        let log = links[0].lines.text
        await first.stop()
        await second.stop()
        for fixture in links { await fixture.link.shutdown() }

        #expect(!withoutRedis.contains("campaign_gateway_shared_state"), "no redis block, no shared-state series")
        #expect(created.status == 201 && created.header("Idempotent-Replayed") == nil, "\(created.text)")
        #expect(replayed.status == 201 && replayed.header("Idempotent-Replayed") == "true" && replayed.body == created.body, "\(replayed.text)")
        #expect(postsAtSecond == 0, "the second gateway sent the create again")
        #expect(created.header("RateLimit-Policy") == "\"account\";q=100000;w=60", "paced on the shared budget")

        #expect(refused.status == 503 && refused.code == "idempotency_unavailable" && refused.header("Retry-After") == "1", "\(refused.text)")
        #expect(refused.json?["retryable"] as? Bool == true)
        #expect(read.status == 200, "\(read.text)")
        #expect(read.header("RateLimit-Policy") == "\"account\";q=50000;w=60", "the read was paced by the fallback's half")
        #expect(metrics.contains("\ncampaign_gateway_shared_state_up 0\n"), "\(metrics)")
        #expect(metrics.contains("\ncampaign_gateway_shared_state_fallback_total 1\n"), "\(metrics)")
        #expect(log.components(separatedBy: "\"event\":\"shared_state_down\"").count == 2, "\(log)")
    }

    /// Redis round trips per request, counted by Redis (`INFO commandstats`, the commands a script runs inside
    /// Redis left out): a paced call is one `EVALSHA`; a create with an `Idempotency-Key` adds its claim and the
    /// stored answer; its replay is the claim alone.
    @Test func redisRoundTripsPerRequest() async throws {
        let server = try await RedisServerProcess.start()
        let h = try GatewayHarness()
        let fixture = try Self.share(h, url: server.url)
        let body = Samples.data(CampaignAPI.smsCreate("plain", name: "Counted", v2: true))
        // Warm up: the scripts are loaded (a NOSCRIPT and an EVAL each, once per Redis).
        _ = try await h.send("POST", "/campaigns/sms", tenant: "v2", headers: ["Idempotency-Key": "warm-up"], body: body)
        let insideTheScripts: Set<String> = ["time", "zscore", "zremrangebyscore", "get", "set", "del", "zcard", "zrange", "zadd", "pexpire", "info"]
        func sent() async throws -> [String: Int] {
            try await SharedStateLinkFixture.commandCalls(server).filter { !insideTheScripts.contains($0.key) }
        }
        var counted: [String: [String: Int]] = [:]
        let requests: [(String, String, String, [String: String], Data?)] = [
            ("read", "GET", "/campaigns/sms/\(Samples.v2SmsDelete)", [:], nil),
            ("delete", "DELETE", "/campaigns/voice/\(Samples.v2VoiceDelete)", [:], nil),
            ("create", "POST", "/campaigns/sms", [:], body),
            ("keyed create", "POST", "/campaigns/sms", ["Idempotency-Key": "counted"], body),
            ("its replay", "POST", "/campaigns/sms", ["Idempotency-Key": "counted"], body),
        ]
        var statuses: [Int] = []
        for (name, method, path, headers, payload) in requests {
            let before = try await sent()
            statuses.append(try await h.send(method, path, tenant: "v2", headers: headers, body: payload).status)
            let after = try await sent()
            counted[name] = after.reduce(into: [:]) { delta, entry in
                if entry.value != before[entry.key] { delta[entry.key] = entry.value - (before[entry.key] ?? 0) }
            }
        }
        await h.stop()
        await fixture.link.shutdown()
        await server.stop()
        #expect(statuses == [200, 200, 201, 201, 201], "\(statuses)")
        #expect(counted["read"] == ["evalsha": 1] && counted["delete"] == ["evalsha": 1] && counted["create"] == ["evalsha": 1], "\(counted)")
        #expect(counted["keyed create"] == ["evalsha": 3], "claim, pacing, answer: \(counted)")
        #expect(counted["its replay"] == ["evalsha": 1], "the claim finds the answer: \(counted)")
    }
}
