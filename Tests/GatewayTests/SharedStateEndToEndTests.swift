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
        let fixture = try SharedStateLinkFixture(url: url, timeoutSeconds: 0.3, metrics: observer.sharedState)
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
}
