import Foundation
import KoreSimulator
import Testing

/// Pacing over sockets: the `RateLimit` fields on every paced answer (the 429 included) and on nothing else,
/// Kore.ai's own 429 holding the account on the gateway (a cool-down), and a request waiting out that cool-down.
@Suite struct PacingEndToEndTests {
    static let deletePath = "/campaigns/voice/\(Samples.v1VoiceDelete)"
    static let v1Key = GatewayHarness.apiKeys["v1only"]

    /// Parses `"account";r=17;t=23` into (17, 23).
    static func current(_ reply: GatewayHarness.Reply) -> (r: Int, t: Int)? {
        guard let value = reply.header("RateLimit"), value.hasPrefix("\"account\";") else { return nil }
        var r: Int?, t: Int?
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let number = Int(pair[1]) else { return nil }
            if pair[0] == "r" { r = number } else if pair[0] == "t" { t = number }
        }
        guard let r, let t else { return nil }
        return (r, t)
    }

    @Test func everyPacedAnswerCarriesTheRateLimitFieldsAndTheyCountDown() async throws {
        var options = GatewayHarness.Options()
        options.requestsPerMinute = 3
        let h = try GatewayHarness(options)
        let first = try await h.send("GET", Self.deletePath, tenant: "v1")
        let second = try await h.send("GET", Self.deletePath, tenant: "v1")
        let third = try await h.send("GET", "/campaigns/voice/cd-missing", tenant: "v1")
        let refused = try await h.send("GET", Self.deletePath, tenant: "v1")
        // Not paced, so no fields: a dry run, a refused key, a body that fails validation, the operational routes.
        let dry = try await h.send("DELETE", Self.deletePath + "?dryRun=true", tenant: "v1")
        let unauthorized = try await h.send("GET", Self.deletePath, key: "wrong-key", tenant: "v1")
        let invalid = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", body: Data("{}".utf8))
        let health = try await h.send("GET", "/healthz", key: nil)
        let calls = h.simulator.callCount
        await h.stop()

        for reply in [first, second, third, refused] {
            #expect(reply.header("RateLimit-Policy") == "\"account\";q=3;w=60", "\(reply.status) \(reply.headers)")
        }
        #expect(Self.current(first)?.r == 2 && (1...60).contains(Self.current(first)?.t ?? -1), "\(first.headers)")
        #expect(Self.current(second)?.r == 1)
        // An upstream 404 is a paced answer too.
        #expect(third.status == 404 && Self.current(third)?.r == 0)
        #expect(refused.status == 429 && refused.code == "rate_limited")
        // Until the first call leaves the window: at most 60 s (less when this machine was slow in between).
        let retryAfter = try #require(Int(refused.header("Retry-After") ?? ""))
        #expect(Self.current(refused)?.r == 0 && Self.current(refused)?.t == retryAfter && (1...60).contains(retryAfter))
        for reply in [dry, unauthorized, invalid, health] {
            #expect(reply.header("RateLimit") == nil && reply.header("RateLimit-Policy") == nil, "\(reply.status): \(reply.headers)")
        }
        #expect(calls == 3)
    }

    /// Kore.ai's 429 holds the account on the gateway for its Retry-After: the next request is refused there,
    /// without a call, with what is left of it.
    @Test func koreAisOwn429HoldsTheAccountUntilItsRetryAfter() async throws {
        var options = GatewayHarness.Options()
        options.maxRetries = 0
        let h = try GatewayHarness(options)
        h.simulator.inject(.rateLimited(retryAfterSeconds: 600))
        let first = try await h.send("DELETE", Self.deletePath, key: Self.v1Key)
        let held = try await h.send("GET", "/campaigns/sms/\(Samples.v1SmsDelete)", tenant: "v1")
        let otherAccount = try await h.send("GET", "/campaigns/voice/\(Samples.v2VoiceDelete)", tenant: "v2")
        let calls = h.simulator.calls.map(\.method)
        await h.stop()
        #expect(first.status == 429 && first.header("Retry-After") == "600", "\(first.text)")
        #expect(Self.current(first)?.r == 0 && (1...600).contains(Self.current(first)?.t ?? 0))
        // What is left of the 600 s (a pause long enough that no stall of this machine can end it first).
        #expect(held.status == 429 && held.code == "rate_limited", "\(held.text)")
        #expect((1...600).contains(Int(held.header("Retry-After") ?? "") ?? 0) && Self.current(held)?.r == 0)
        #expect(held.json?["upstream"] == nil, "the gateway held it; Kore.ai was not asked")
        #expect(otherAccount.status == 200)
        #expect(calls == ["DELETE", "GET"], "only the first call and the other account's read reached Kore.ai")
    }

    /// With `pacingMaxWaitSeconds`, a request waits out a short cool-down instead of being refused: its call reaches
    /// Kore.ai no earlier than the cool-down's end (2 s after the 429, so at least 2 s after the first call arrived).
    @Test func aRequestWaitsForItsSlotWithinPacingMaxWait() async throws {
        var options = GatewayHarness.Options()
        options.maxRetries = 0
        options.timeoutSeconds = 5
        options.upstreamExtra = #", "pacingMaxWaitSeconds": 5"#
        let h = try GatewayHarness(options)
        h.simulator.inject(.rateLimited(retryAfterSeconds: 2))
        let first = try await h.send("DELETE", Self.deletePath, key: Self.v1Key)
        let waited = try await h.send("DELETE", Self.deletePath, key: Self.v1Key)
        let calls = h.simulator.calls
        await h.stop()
        #expect(first.status == 429)
        #expect(waited.status == 200, "\(waited.text)")
        #expect(calls.count == 2)
        if calls.count == 2 {
            let gap = calls[1].receivedAt - calls[0].receivedAt
            #expect(gap >= 2, "the second call reached Kore.ai \(gap) s after the first, inside the 2 s cool-down")
        }
    }

    @Test func aRetryAfterKoreAis429WaitsForTheCoolDownWithinTheDeadline() async throws {
        var options = GatewayHarness.Options()
        options.timeoutSeconds = 5
        options.requestsPerMinute = 10
        let h = try GatewayHarness(options)
        h.simulator.inject(.rateLimited(retryAfterSeconds: 1))
        let reply = try await h.send("DELETE", Self.deletePath, key: Self.v1Key)
        let calls = h.simulator.calls
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(calls.count == 2)
        // The answer's `RateLimit` is the budget the retry's slot saw (decided while Kore.ai's 429 held the account:
        // none left), not the first call's (9 left of 10).
        #expect(Self.current(reply)?.r == 0, "\(reply.headers)")
    }
}
