import Foundation
import TestSupport
import Testing
import KoreSimulator

/// Optimistic concurrency: If-Match on PUT, DELETE, start, stop and schedule. The gateway reads the campaign first
/// and refuses with 412 and the current ETag when it changed, before anything is written.
@Suite struct ConcurrencyEndToEndTests {
    /// Two apps read the same campaign, both edit it; the first PUT wins, the second is refused instead of silently
    /// overwriting the first app's change.
    @Test(arguments: ["v1", "v2"])
    func twoAppsEditingOneCampaignTheSecondPutIsRefused(tenant: String) async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)"
        let readA = try await h.send("GET", path, key: GatewayHarness.apiKeys["all"], tenant: tenant)
        let readB = try await h.send("GET", path, key: GatewayHarness.apiKeys["second"], tenant: tenant)
        let tag = try #require(readA.header("ETag"))
        #expect(readB.header("ETag") == tag)

        let putA = try await h.send("PUT", path, key: GatewayHarness.apiKeys["all"], tenant: tenant, headers: ["If-Match": tag],
                                    json: Samples.voiceBody(name: "App A's name", withDnc: tenant == "v2"))
        let writesBefore = h.simulator.calls.filter { $0.method == "PUT" }.count
        let putB = try await h.send("PUT", path, key: GatewayHarness.apiKeys["second"], tenant: tenant, headers: ["If-Match": tag],
                                    json: Samples.voiceBody(name: "App B's name", withDnc: tenant == "v2"))
        let writesAfter = h.simulator.calls.filter { $0.method == "PUT" }.count
        let final = try await h.send("GET", path, tenant: tenant)
        await h.stop()

        #expect(putA.status == 200, "\(putA.text)")
        #expect(putB.status == 412, "\(putB.text)")
        #expect(putB.code == "precondition_failed")
        #expect(putB.json?["retryable"] as? Bool == false)
        // The refusal names the current tag, which is the tag of what app A wrote.
        #expect(putB.header("ETag") != nil && putB.header("ETag") != tag)
        #expect(putB.header("ETag") == final.header("ETag"))
        // Nothing was written for app B: no PUT reached the simulator, and the store holds app A's campaign.
        #expect(writesBefore == 1 && writesAfter == 1)
        #expect((final.json?["campaign"] as? [String: Any])?["name"] as? String == "App A's name")
    }

    @Test func aStaleTagStopsDeleteStartStopAndScheduleBeforeAnyWrite() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/voice/\(Samples.v2VoiceDelete)"
        let stale = "\"0000000000000000000000000000000000000000000000000000000000000000\""
        let delete = try await h.send("DELETE", path, tenant: "v2", headers: ["If-Match": stale])
        let start = try await h.send("POST", path + "/start", tenant: "v2", headers: ["If-Match": stale])
        let stop = try await h.send("POST", path + "/stop", tenant: "v2", headers: ["If-Match": stale])
        let schedule = try await h.send("PUT", path + "/schedule", tenant: "v2", headers: ["If-Match": stale], json: CampaignAPI.schedule(weekly: false))
        let unschedule = try await h.send("DELETE", path + "/schedule", tenant: "v2", headers: ["If-Match": stale])
        let calls = h.simulator.calls
        await h.stop()
        for reply in [delete, start, stop, schedule, unschedule] {
            #expect(reply.status == 412, "\(reply.text)")
            #expect(reply.header("ETag")?.count == 66)
        }
        // Only the reads happened.
        #expect(calls.count == 5 && calls.allSatisfy { $0.method == "GET" })
    }

    @Test func theCurrentTagOrStarLetsTheWriteThrough() async throws {
        let h = try GatewayHarness()
        let path = "/campaigns/sms/\(Samples.v2SmsDelete)"
        let read = try await h.send("GET", path, tenant: "v2")
        let tag = try #require(read.header("ETag"))
        let start = try await h.send("POST", path + "/start", tenant: "v2", headers: ["If-Match": "\"other\", \(tag)"])
        let stop = try await h.send("POST", path + "/stop", tenant: "v2", headers: ["If-Match": "*"])
        let weak = try await h.send("DELETE", path, tenant: "v2", headers: ["If-Match": "W/\(tag)"])
        await h.stop()
        #expect(start.status == 200, "\(start.text)")
        #expect(stop.status == 200, "\(stop.text)")
        // If-Match compares strongly: a weak tag never matches.
        #expect(weak.status == 412)
    }

    @Test func ifMatchOnAMissingCampaignIsNotFound() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/voice/cd-missing", tenant: "v1", headers: ["If-Match": "*"])
        await h.stop()
        #expect(reply.status == 404 && reply.code == "campaign_not_found")
        #expect(h.simulator.calls.allSatisfy { $0.method == "GET" })
    }

    /// A value that is not `*` or quoted tags (`abc`, a tag without its quotes) is never ignored: refused before any
    /// call, saying the tag is malformed (not that the campaign changed, which nothing says it did).
    @Test(arguments: ["abc", "\"unterminated", "W/", "0", ",", "\"a\" \"b\""])
    func aMalformedIfMatchIsRefusedAsMalformedAndNothingIsCalled(value: String) async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1", headers: ["If-Match": value])
        await h.stop()
        #expect(reply.status == 400 && reply.code == "invalid_precondition", "\(value): \(reply.text)")
        let detail = reply.json?["detail"] as? String ?? ""
        #expect(detail.contains("quoted entity tags") && !detail.contains("changed"), "\(detail)")
        #expect(h.simulator.callCount == 0)
    }

    /// An empty field value is a precondition with nothing in it (sent raw: URLSession drops empty fields).
    @Test func anEmptyIfMatchIs400BeforeAnyCall() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let key = GatewayHarness.apiKeys["all"] ?? ""
        let reply = try await OffPool.run {
            let client = try RawHTTPClient(port: port)
            try client.send("POST /campaigns/voice/\(Samples.v1VoiceDelete)/start HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Bearer \(key)\r\nX-Tenant: v1\r\nIf-Match:\r\nContent-Length: 0\r\n\r\n")
            return try client.readResponse()
        }
        await h.stop()
        #expect(reply.status == 400 && reply.json?["code"] as? String == "invalid_precondition", "\(reply.text)")
        #expect(h.simulator.callCount == 0)
    }

    @Test func aMalformedIfNoneMatchIsAFullAnswer() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1", headers: ["If-None-Match": "0"])
        await h.stop()
        #expect(reply.status == 200 && reply.header("ETag") != nil)
    }

    @Test func theReadFirstIsPacedLikeAnyCall() async throws {
        // Three calls a minute: the If-Match write needs two, so the second request runs out.
        let h = try GatewayHarness(GatewayHarness.Options(requestsPerMinute: 3))
        let path = "/campaigns/voice/\(Samples.v1VoiceUpdate)"
        let read = try await h.send("GET", path, tenant: "v1")
        let tag = try #require(read.header("ETag"))
        let first = try await h.send("POST", path + "/start", tenant: "v1", headers: ["If-Match": tag])
        let second = try await h.send("POST", path + "/stop", tenant: "v1", headers: ["If-Match": "*"])
        await h.stop()
        #expect(first.status == 200, "\(first.text)")
        #expect(second.status == 429 && second.code == "rate_limited")
        #expect(h.simulator.calls.map(\.method) == ["GET", "GET", "POST"])
    }

    /// `upstream.timeoutSeconds` bounds the whole upstream exchange: the read before an If-Match write and the write
    /// share one deadline. Each call alone fits in it; both together do not.
    @Test func theReadFirstAndTheWriteShareOneDeadline() async throws {
        var options = GatewayHarness.Options()
        options.timeoutSeconds = 1
        let h = try GatewayHarness(options)
        h.simulator.inject(.latency(milliseconds: 700), count: 2)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1", headers: ["If-Match": "*"])
        await h.stop()
        // With a budget per call, the DELETE would have had a second full second and answered 200 after its 700 ms.
        #expect(reply.status == 504 && reply.code == "upstream_timeout", "\(reply.status) \(reply.text)")
        // The write goes out with what the read left (about 0.3 s), or not at all when a loaded machine made the read
        // take the whole second; never twice, and never before the read.
        let methods = h.simulator.calls.map(\.method)
        #expect(methods == ["GET", "DELETE"] || methods == ["GET"], "\(methods)")
    }
}
