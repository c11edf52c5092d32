import Foundation
import KoreSimulator
import Testing

/// The new operations under the simulator's faults: a lost connection is resent only for calls that change nothing
/// (list, get, status), never for a write; Kore.ai's errors and unreadable answers map as for delete and update.
@Suite struct OperationFaultEndToEndTests {
    @Test(arguments: [
        ("GET", "/campaigns/voice"), ("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)"),
        ("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)/status"),
    ])
    func aReadIsResentAfterALostConnection(method: String, path: String) async throws {
        let h = try GatewayHarness()
        h.simulator.inject(.dropConnection, count: 1)
        let reply = try await h.send(method, path, tenant: "v2")
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        // The lost call and its resend; the status route reads the campaign first (its type), one call more.
        #expect(h.simulator.callCount == (path.hasSuffix("/status") ? 3 : 2))
    }

    @Test func aReadLostOnEveryTryStopsAtTheRetryBudgetAndIsRetryable() async throws {
        let h = try GatewayHarness()  // maxRetries 2
        h.simulator.inject(.dropConnection, count: nil)
        let reply = try await h.send("GET", "/campaigns/sms", tenant: "v1")
        await h.stop()
        #expect(reply.status == 502 && reply.code == "upstream_connection_lost", "\(reply.text)")
        #expect(reply.json?["retryable"] as? Bool == true)
        #expect(h.simulator.callCount == 3)
    }

    @Test(arguments: [
        ("POST", "/campaigns/voice/\(Samples.v1VoiceUpdate)/start"), ("POST", "/campaigns/voice/\(Samples.v1VoiceUpdate)/stop"),
        ("POST", "/campaigns/voice"),
    ])
    func aWriteIsNeverResentAfterALostConnection(method: String, path: String) async throws {
        let h = try GatewayHarness(GatewayHarness.Options(audit: true))
        h.simulator.inject(.dropConnection, count: nil)
        let body = path == "/campaigns/voice" ? Samples.data(CampaignAPI.voiceCreate("preview", name: "Lost", v2: true)) : nil
        let reply = try await h.send(method, path, tenant: "v2", body: body)
        let audit = (try? String(contentsOfFile: h.directory + "/audit.jsonl", encoding: .utf8)) ?? ""
        await h.stop()
        #expect(reply.status == 502 && reply.code == "upstream_connection_lost", "\(reply.text)")
        #expect(reply.json?["retryable"] as? Bool == false)
        #expect(h.simulator.callCount == 1)
        // Reached Kore.ai, outcome unknown: audited as such.
        #expect(audit.contains("\"outcome\":\"unknown\""), "\(audit)")
    }

    @Test func kore500OnStartIs502AndAnUnreadableListIsABadResponse() async throws {
        let h = try GatewayHarness()
        h.simulator.inject(.status(500), count: 1)
        let start = try await h.send("POST", "/campaigns/sms/\(Samples.v2SmsDelete)/start", tenant: "v2")
        h.simulator.inject(.garbageBody, count: 1)
        let list = try await h.send("GET", "/campaigns/sms", tenant: "v2")
        h.simulator.inject(.failureEnvelope(400), count: 1)
        let schedule = try await h.send("PUT", "/campaigns/sms/\(Samples.v2SmsDelete)/schedule", tenant: "v2",
                                        json: CampaignAPI.schedule(weekly: false))
        await h.stop()
        #expect(start.status == 502 && start.code == "upstream_error")
        #expect((start.json?["upstream"] as? [String: Any])?["status"] as? Int == 500)
        #expect(list.status == 502 && list.code == "upstream_bad_response")
        // The schedule's read-first got Kore.ai's failure envelope: nothing was scheduled.
        #expect(schedule.status == 400 && schedule.code == "upstream_rejected_request", "\(schedule.text)")
    }
}
