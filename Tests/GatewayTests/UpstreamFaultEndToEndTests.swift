import Foundation
import KoreSimulator
import Testing

/// Each row of the upstream mapping table (docs/API.md, Errors), produced for real by the simulator's faults.
@Suite struct UpstreamFaultEndToEndTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var fault: SimulatedFault
        var count: Int? = 1
        var status: Int
        var code: String
        var retryable: Bool
        var expectedCalls: Int
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "500", fault: .status(500), status: 502, code: "upstream_error", retryable: true, expectedCalls: 1),
        Case(name: "400 with Kore errors", fault: .status(400), status: 400, code: "upstream_rejected_request", retryable: false, expectedCalls: 1),
        Case(name: "failure envelope 422", fault: .failureEnvelope(422), status: 400, code: "upstream_rejected_request", retryable: false, expectedCalls: 1),
        // A 401 gets one retry with a fresh token; a second 401 is the operator's problem.
        Case(name: "401 twice", fault: .status(401), count: 2, status: 502, code: "upstream_rejected_credentials", retryable: false, expectedCalls: 2),
        Case(name: "404", fault: .status(404), status: 404, code: "campaign_not_found", retryable: false, expectedCalls: 1),
        Case(name: "409", fault: .status(409), status: 409, code: "conflict", retryable: false, expectedCalls: 1),
        Case(name: "429 beyond the deadline", fault: .rateLimited(retryAfterSeconds: 30), status: 429, code: "rate_limited", retryable: true, expectedCalls: 1),
        Case(name: "garbage body", fault: .garbageBody, status: 502, code: "upstream_bad_response", retryable: false, expectedCalls: 1),
        Case(name: "timeout", fault: .latency(milliseconds: 6000), status: 504, code: "upstream_timeout", retryable: false, expectedCalls: 1),
        Case(name: "connection dropped", fault: .dropConnection, count: nil, status: 502, code: "upstream_connection_lost", retryable: false, expectedCalls: 1),
    ]

    @Test(arguments: cases)
    func mapsUpstreamFault(_ c: Case) async throws {
        var options = GatewayHarness.Options()
        options.timeoutSeconds = 3
        let h = try GatewayHarness(options)
        h.simulator.inject(c.fault, count: c.count)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        let calls = h.simulator.callCount
        await h.stop()
        #expect(reply.status == c.status, "\(reply.text)")
        #expect(reply.code == c.code)
        #expect(reply.json?["retryable"] as? Bool == c.retryable)
        #expect(reply.header("Content-Type") == "application/problem+json")
        #expect(reply.header("X-Upstream-Version") == "v1")
        // Exactly: a DELETE whose bytes went out is never sent again, not even on a connection that died under it.
        #expect(calls == c.expectedCalls, "calls: \(calls)")
        if c.status == 429 { #expect(reply.header("Retry-After") == "30") }
        if c.code == "upstream_rejected_request" {
            let upstream = try #require(reply.json?["upstream"] as? [String: Any])
            let errors = try #require(upstream["errors"] as? [[String: Any]])
            #expect(!errors.isEmpty)
            #expect(errors.first?["msg"] is String)
        }
        // Nothing secret or internal in any error.
        #expect(!reply.text.contains("eyJ"))
        #expect(!reply.text.contains("127.0.0.1"))
        #expect(!reply.text.contains("secret"))
    }

    @Test func transient503IsRetriedWithinTheDeadline() async throws {
        let h = try GatewayHarness()
        h.simulator.inject(.status(503), count: 1)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        let calls = h.simulator.callCount
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(calls == 2)
    }

    @Test func upstreamDownIs502Unavailable() async throws {
        var options = GatewayHarness.Options()
        options.baseURLOverride = "http://127.0.0.1:1"  // nothing listens on port 1
        options.maxRetries = 1
        let h = try GatewayHarness(options)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        await h.stop()
        #expect(reply.status == 502, "\(reply.text)")
        #expect(reply.code == "upstream_unavailable")
        #expect(reply.json?["retryable"] as? Bool == true)
    }

    @Test func breakerOpensAfterFiveFailures() async throws {
        var options = GatewayHarness.Options()
        options.maxRetries = 0
        let h = try GatewayHarness(options)
        h.simulator.inject(.status(500), count: nil)
        for _ in 0..<5 {
            let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
            #expect(reply.status == 502)
        }
        let open = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        let calls = h.simulator.callCount
        await h.stop()
        #expect(open.status == 503)
        #expect(open.code == "upstream_unavailable")
        #expect(open.json?["retryable"] as? Bool == true)
        #expect(open.header("Retry-After") != nil)
        #expect(calls == 5)
    }

    @Test func pacingAnswers429BeforeKoreWould() async throws {
        var options = GatewayHarness.Options()
        options.requestsPerMinute = 2
        let h = try GatewayHarness(options)
        var statuses: [Int] = []
        for id in [Samples.v1VoiceDelete, Samples.v1SmsDelete, Samples.v2VoiceDelete] {
            let type = id == Samples.v1SmsDelete ? "sms" : "voice"
            statuses.append(try await h.send("DELETE", "/campaigns/\(type)/\(id)", key: GatewayHarness.apiKeys["v1only"]).status)
        }
        let limited = try await h.send("DELETE", "/campaigns/voice/\(Samples.v2VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        let calls = h.simulator.callCount
        await h.stop()
        #expect(statuses == [200, 200, 429])
        #expect(limited.code == "rate_limited")
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(calls == 2)
    }
}
