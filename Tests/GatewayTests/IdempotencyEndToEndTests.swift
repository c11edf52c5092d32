import Foundation
import KoreSimulator
import TestSupport
import Testing

/// `Idempotency-Key` over sockets against the simulator: every write replays its stored answer without calling
/// Kore.ai again, concurrent uses of one key make exactly one upstream write, ambiguous outcomes are replayed, what
/// certainly changed nothing frees the key, and malformed keys are refused.
@Suite struct IdempotencyEndToEndTests {
    static func writes(_ calls: [SimulatedCall]) -> Int { calls.filter { $0.method != "GET" }.count }

    struct Write: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var tenant: String
        var body: Data?
        var status: Int
        /// A call made first without a key (a stop needs a running campaign).
        var setUp: String?
        var description: String { "\(method) \(path)" }
    }

    static let everyWrite: [Write] = [
        Write(method: "POST", path: "/campaigns/voice", tenant: "v2",
              body: Samples.data(CampaignAPI.voiceCreate("preview", name: "Once Only", v2: true)), status: 201),
        Write(method: "PUT", path: "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1",
              body: Samples.data(Samples.voiceBody(name: "Renamed once", withDnc: false)), status: 200),
        Write(method: "DELETE", path: "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1", status: 200),
        Write(method: "POST", path: "/campaigns/sms/\(Samples.v2SmsDelete)/start", tenant: "v2", status: 200),
        Write(method: "POST", path: "/campaigns/sms/\(Samples.v2SmsDelete)/stop", tenant: "v2", status: 200,
              setUp: "/campaigns/sms/\(Samples.v2SmsDelete)/start"),
        Write(method: "PUT", path: "/campaigns/voice/\(Samples.v2VoiceDelete)/schedule", tenant: "v2",
              body: Samples.data(CampaignAPI.schedule(weekly: true)), status: 200),
        Write(method: "DELETE", path: "/campaigns/voice/\(Samples.v2VoiceDelete)/schedule", tenant: "v2", status: 200),
    ]

    /// The first use runs; the same request again gets the very same answer, marked replayed, and Kore.ai sees no
    /// second write (a second DELETE would otherwise be 404, a second create a second campaign).
    @Test(arguments: everyWrite)
    func theSameRequestAgainIsReplayedWithoutASecondWrite(_ write: Write) async throws {
        let h = try GatewayHarness()
        let key = ["Idempotency-Key": "\"retry-\(write.method)-\(write.path.count)\""]
        if let setUp = write.setUp { _ = try await h.send("POST", setUp, tenant: write.tenant) }
        let writesBefore = Self.writes(h.simulator.calls)
        let first = try await h.send(write.method, write.path, tenant: write.tenant, headers: key, body: write.body)
        let writesAfterFirst = Self.writes(h.simulator.calls)
        let again = try await h.send(write.method, write.path, tenant: write.tenant, headers: key, body: write.body)
        let calls = h.simulator.calls
        let log = h.logLines.text
        await h.stop()
        #expect(first.status == write.status, "\(first.text)")
        #expect(first.header("Idempotent-Replayed") == nil)
        #expect(again.status == write.status && again.header("Idempotent-Replayed") == "true", "\(again.text)")
        #expect(again.body == first.body)
        #expect(again.header("Location") == first.header("Location") && again.header("Content-Type") == first.header("Content-Type"))
        #expect(again.header("X-Request-Id") != first.header("X-Request-Id"))
        #expect(writesAfterFirst == writesBefore + 1 && Self.writes(calls) == writesAfterFirst, "writes at Kore.ai: \(calls.map(\.method))")
        #expect(again.header("RateLimit") == nil, "a replay is not paced")
        #expect(log.contains("\"idempotentReplay\":true"))
    }

    /// Eight concurrent uses of one key while Kore.ai is slow: exactly one create reaches Kore.ai; the others are
    /// 409 (still running, with Retry-After) or, if they came after it finished, its replay.
    @Test func concurrentUsesOfOneKeyMakeExactlyOneUpstreamWrite() async throws {
        let h = try GatewayHarness()
        h.simulator.inject(.latency(milliseconds: 1500), count: 1)
        let body = Samples.data(CampaignAPI.smsCreate("plain", name: "Exactly once", v2: true))
        let headers = ["Idempotency-Key": "9b7f2d1e-concurrent"]
        let replies = try await withThrowingTaskGroup(of: GatewayHarness.Reply.self) { group in
            for _ in 0..<8 {
                group.addTask { try await h.send("POST", "/campaigns/sms", tenant: "v2", headers: headers, body: body) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let after = try await h.send("POST", "/campaigns/sms", tenant: "v2", headers: headers, body: body)
        let posts = h.simulator.calls.filter { $0.method == "POST" }.count
        await h.stop()
        #expect(posts == 1, "creates at Kore.ai: \(posts)")
        let ran = replies.filter { $0.status == 201 && $0.header("Idempotent-Replayed") == nil }
        #expect(ran.count == 1, "\(replies.map(\.status))")
        for reply in replies where reply.status != 201 {
            #expect(reply.status == 409 && reply.code == "idempotency_key_in_use" && reply.header("Retry-After") == "1", "\(reply.text)")
            #expect(reply.json?["retryable"] as? Bool == true)
        }
        #expect(replies.contains { $0.status == 409 }, "no request overlapped the slow first one: \(replies.map(\.status))")
        #expect(after.status == 201 && after.header("Idempotent-Replayed") == "true" && after.body == ran.first?.body)
    }

    /// Ambiguous outcomes are kept: after a timeout or an unreadable answer the write may have happened, so the
    /// retry gets the same outcome instead of a second write.
    @Test(arguments: [(SimulatedFault.latency(milliseconds: 3000), 504, "upstream_timeout"),
                      (SimulatedFault.garbageBody, 502, "upstream_bad_response")])
    func ambiguousOutcomesAreReplayedNotRetried(fault: SimulatedFault, status: Int, code: String) async throws {
        var options = GatewayHarness.Options()
        options.timeoutSeconds = 1
        let h = try GatewayHarness(options)
        h.simulator.inject(fault, count: 1)
        let path = "/campaigns/voice/\(Samples.v1VoiceDelete)"
        let headers = ["Idempotency-Key": "ambiguous-1"]
        let first = try await h.send("DELETE", path, tenant: "v1", headers: headers)
        let again = try await h.send("DELETE", path, tenant: "v1", headers: headers)
        let deletes = h.simulator.calls.filter { $0.method == "DELETE" }.count
        await h.stop()
        #expect(first.status == status && first.code == code, "\(first.text)")
        #expect(again.status == status && again.code == code && again.header("Idempotent-Replayed") == "true", "\(again.text)")
        #expect(again.header("Content-Type") == "application/problem+json")
        #expect(again.json?["requestId"] as? String == first.header("X-Request-Id"), "the replay names the request that ran")
        #expect(deletes == 1)
    }

    /// What certainly changed nothing frees the key: a body that failed validation, Kore.ai's own 429; the
    /// corrected or later request with the same key then runs.
    @Test func outcomesThatChangedNothingFreeTheKey() async throws {
        var options = GatewayHarness.Options()
        options.maxRetries = 0
        let h = try GatewayHarness(options)
        let headers = ["Idempotency-Key": "free-again"]
        let invalid = try await h.send("POST", "/campaigns/voice", tenant: "v1", headers: headers, body: Data("{}".utf8))
        let body = Samples.data(CampaignAPI.voiceCreate("agentless", name: "Second try", v2: false))
        h.simulator.inject(.rateLimited(retryAfterSeconds: 0), count: 1)
        let refused = try await h.send("POST", "/campaigns/voice", tenant: "v1", headers: headers, body: body)
        let ran = try await h.send("POST", "/campaigns/voice", tenant: "v1", headers: headers, body: body)
        let posts = h.simulator.calls.filter { $0.method == "POST" }.map(\.responseStatus)
        await h.stop()
        #expect(invalid.status == 422 && invalid.code == "validation_failed")
        #expect(refused.status == 429, "\(refused.text)")
        #expect(ran.status == 201 && ran.header("Idempotent-Replayed") == nil, "\(ran.text)")
        #expect(posts == [429, 200], "Kore.ai's answers to the creates")
    }

    /// The same key with another body, route or method is refused; another app's identical key is its own.
    @Test func aKeyReusedForAnotherRequestIs422() async throws {
        let h = try GatewayHarness()
        let headers = ["Idempotency-Key": "shared-key"]
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)"
        let first = try await h.send("PUT", path, tenant: "v1", headers: headers, json: Samples.voiceBody(name: "One", withDnc: false))
        let otherBody = try await h.send("PUT", path, tenant: "v1", headers: headers, json: Samples.voiceBody(name: "Two", withDnc: false))
        let otherRoute = try await h.send("POST", path + "/start", tenant: "v1", headers: headers)
        let otherMethod = try await h.send("DELETE", path, tenant: "v1", headers: headers)
        let otherApp = try await h.send("POST", path + "/start", key: GatewayHarness.apiKeys["second"], tenant: "v1", headers: headers)
        let calls = h.simulator.calls
        await h.stop()
        #expect(first.status == 200)
        for reply in [otherBody, otherRoute, otherMethod] {
            #expect(reply.status == 422 && reply.code == "idempotency_key_reused", "\(reply.text)")
            #expect(reply.json?["retryable"] as? Bool == false)
        }
        #expect(otherApp.status == 200 && otherApp.header("Idempotent-Replayed") == nil)
        #expect(calls.map(\.method) == ["PUT", "POST"])
    }

    /// The draft's quoted form and the bare form name the same key.
    @Test func aQuotedKeyAndItsBareFormAreOneKey() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/sms/\(Samples.v2SmsDelete)/start"
        let quoted = try await h.send("POST", path, tenant: "v2", headers: ["Idempotency-Key": "\"abc-123\""])
        let bare = try await h.send("POST", path, tenant: "v2", headers: ["Idempotency-Key": "abc-123"])
        await h.stop()
        #expect(quoted.status == 200 && bare.status == 200 && bare.header("Idempotent-Replayed") == "true")
    }

    @Test(arguments: ["", "\"\"", String(repeating: "k", count: 256), "has space", "\"has space\"", "\"unterminated", "\"a\"b", "é", "\"bad\\escape\""])
    func aMalformedKeyIs400BeforeAnything(value: String) async throws {
        let h = try GatewayHarness()
        let port = h.port
        let key = GatewayHarness.apiKeys["all"] ?? ""
        let reply = try await OffPool.run {
            let client = try RawHTTPClient(port: port)
            try client.send(Array("DELETE /campaigns/voice/\(Samples.v1VoiceDelete) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\nX-Tenant: v1\r\nIdempotency-Key: ".utf8)
                            + Array(value.utf8) + Array("\r\nContent-Length: 0\r\n\r\n".utf8))
            return try client.readResponse()
        }
        await h.stop()
        #expect(reply.status == 400 && reply.json?["code"] as? String == "invalid_idempotency_key", "\(value): \(reply.text)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func twoKeysInOneRequestAre400AndAReadIgnoresTheField() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let key = GatewayHarness.apiKeys["all"] ?? ""
        let reply = try await OffPool.run {
            let client = try RawHTTPClient(port: port)
            try client.send("POST /campaigns/voice/\(Samples.v1VoiceDelete)/start HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\nX-Tenant: v1\r\nIdempotency-Key: a\r\nIdempotency-Key: b\r\nContent-Length: 0\r\n\r\n")
            return try client.readResponse()
        }
        let read = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1", headers: ["Idempotency-Key": "has space"])
        await h.stop()
        #expect(reply.status == 400 && reply.json?["code"] as? String == "invalid_idempotency_key", "\(reply.text)")
        #expect(read.status == 200)
    }

    /// A dry run shows the key and what a real request would meet, and claims nothing.
    @Test func aDryRunShowsTheKeyAndClaimsNothing() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceDelete)"
        let headers = ["Idempotency-Key": "dry-1"]
        let before = try await h.send("DELETE", path + "?dryRun=true", tenant: "v1", headers: headers)
        let real = try await h.send("DELETE", path, tenant: "v1", headers: headers)
        let after = try await h.send("DELETE", path + "?dryRun=true", tenant: "v1", headers: headers)
        let other = try await h.send("POST", path + "/start?dryRun=true", tenant: "v1", headers: headers)
        await h.stop()
        let shown = try #require(before.json?["idempotency"] as? [String: Any])
        #expect(shown["key"] as? String == "dry-1" && shown["ttlSeconds"] as? Int == 86400)
        #expect((shown["state"] as? String)?.hasPrefix("new") == true)
        #expect(real.status == 200 && real.header("Idempotent-Replayed") == nil, "the dry run did not claim the key")
        #expect(((after.json?["idempotency"] as? [String: Any])?["state"] as? String)?.hasPrefix("stored") == true)
        #expect(((other.json?["idempotency"] as? [String: Any])?["state"] as? String)?.contains("422") == true)
    }
}
