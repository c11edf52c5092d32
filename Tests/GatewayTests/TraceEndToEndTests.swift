import Foundation
import Gateway
import KoreSimulator
import TestSupport
import Testing

/// Traces a platform team can follow, through a real gateway to the simulator: the caller's trace reaches Kore.ai
/// under the gateway's span, the same ids are in the request log, the audit record and the answer's `traceparent`,
/// and a malformed header is replaced rather than passed on.
@Suite struct TraceEndToEndTests {
    static let trace = "0af7651916cd43dd8448eb211c80319c"
    static let callerSpan = "b7ad6b7169203331"

    /// `00-trace-span-flags` taken apart.
    static func parts(_ traceparent: String?) -> (trace: String, span: String, flags: String)? {
        let fields = (traceparent ?? "").split(separator: "-").map(String.init)
        guard fields.count == 4, fields[0] == "00", fields[1].count == 32, fields[2].count == 16 else { return nil }
        return (fields[1], fields[2], fields[3])
    }

    static func logLine(_ h: GatewayHarness, requestId: String) throws -> [String: Any] {
        let line = try #require(h.logLines.text.split(separator: "\n").first { $0.contains("\"requestId\":\"\(requestId)\"") && $0.contains("\"event\":\"request\"") })
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func theCallersTraceReachesKoreUnderTheGatewaysSpanAndIsLoggedAuditedAndEchoed() async throws {
        var options = GatewayHarness.Options()
        options.audit = true
        let h = try GatewayHarness(options)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1",
                                     headers: ["X-Request-Id": "trace-1", "traceparent": "00-\(Self.trace)-\(Self.callerSpan)-01",
                                               "tracestate": "vendor1=opaque-value, congo=t61rcWkgMzE"])
        let calls = h.simulator.calls
        let log = try Self.logLine(h, requestId: "trace-1")
        let audit = try AuditEndToEndTests.records(h.directory + "/audit.jsonl")
        await h.stop()

        #expect(reply.status == 200, "\(reply.text)")
        let echoed = try #require(Self.parts(reply.header("traceparent")), "no traceparent in \(reply.headers)")
        #expect(echoed.trace == Self.trace && echoed.span != Self.callerSpan && echoed.flags == "01")
        #expect(reply.header("tracestate") == "vendor1=opaque-value,congo=t61rcWkgMzE")
        let call = try #require(calls.last)
        #expect(call.header("traceparent") == "00-\(Self.trace)-\(echoed.span)-01", "Kore.ai got \(call.headers)")
        #expect(call.header("tracestate") == "vendor1=opaque-value,congo=t61rcWkgMzE")
        #expect(log["traceId"] as? String == Self.trace && log["spanId"] as? String == echoed.span, "\(log)")
        let record = try #require(audit.first)
        #expect(record["traceId"] as? String == Self.trace && record["spanId"] as? String == echoed.span, "\(record)")
    }

    @Test func withoutATraceparentEachRequestStartsItsOwnTrace() async throws {
        let h = try GatewayHarness()
        let first = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", headers: ["X-Request-Id": "trace-2"])
        let second = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1", headers: ["X-Request-Id": "trace-3"])
        let health = try await h.send("GET", "/healthz", key: nil, headers: ["X-Request-Id": "trace-4"])
        let calls = h.simulator.calls
        let log = try Self.logLine(h, requestId: "trace-2")
        let healthLog = try Self.logLine(h, requestId: "trace-4")
        await h.stop()

        let one = try #require(Self.parts(first.header("traceparent")))
        let two = try #require(Self.parts(second.header("traceparent")))
        #expect(one.trace != two.trace && one.span != two.span && one.flags == "01")
        #expect(first.header("tracestate") == nil)
        #expect(calls.map { $0.header("traceparent") } == [first.header("traceparent"), second.header("traceparent")])
        #expect(calls.allSatisfy { $0.header("tracestate") == nil })
        #expect(log["traceId"] as? String == one.trace && log["spanId"] as? String == one.span)
        // Every answer carries one, the operational routes' too.
        let healthTrace = try #require(Self.parts(health.header("traceparent")))
        #expect(healthLog["traceId"] as? String == healthTrace.trace)
    }

    @Test func aMalformedTraceparentIsReplacedAndItsTracestateNotPassedOn() async throws {
        let h = try GatewayHarness()
        let uppercase = "00-\(Self.trace.uppercased())-\(Self.callerSpan)-01"
        let reply = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1",
                                     headers: ["traceparent": uppercase, "tracestate": "vendor1=should-not-travel"])
        let calls = h.simulator.calls
        await h.stop()

        let replaced = try #require(Self.parts(reply.header("traceparent")))
        #expect(replaced.trace != Self.trace.lowercased() && replaced.trace != Self.trace.uppercased())
        #expect(reply.header("tracestate") == nil)
        #expect(calls.first?.header("traceparent") == reply.header("traceparent"))
        #expect(calls.first?.header("tracestate") == nil)
    }

    @Test func aReadFirstAndItsWriteShareTheTraceAndADryRunShowsIt() async throws {
        let h = try GatewayHarness()
        let read = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1")
        let tag = try #require(read.header("ETag"))
        let before = h.simulator.callCount
        let update = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", tenant: "v1",
                                      headers: ["If-Match": tag, "traceparent": "00-\(Self.trace)-\(Self.callerSpan)-00"],
                                      body: Samples.data(Samples.voiceBody(withDnc: false)))
        let calls = Array(h.simulator.calls.dropFirst(before))
        let dryRun = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)?dryRun=true", tenant: "v1",
                                      headers: ["If-Match": tag, "traceparent": "00-\(Self.trace)-\(Self.callerSpan)-01"],
                                      body: Samples.data(Samples.voiceBody(withDnc: false)))
        await h.stop()

        #expect(update.status == 200, "\(update.text)")
        let echoed = try #require(Self.parts(update.header("traceparent")))
        #expect(calls.map(\.method) == ["GET", "PUT"])
        #expect(calls.map { $0.header("traceparent") } == Array(repeating: "00-\(Self.trace)-\(echoed.span)-00", count: 2))
        let shown = try #require(dryRun.json)
        let upstream = try #require((shown["upstreamRequest"] as? [String: Any])?["headers"] as? [String: Any])
        let readFirst = try #require((shown["upstreamReadFirst"] as? [String: Any])?["headers"] as? [String: Any])
        #expect(upstream["traceparent"] as? String == dryRun.header("traceparent"))
        #expect(readFirst["traceparent"] as? String == dryRun.header("traceparent"))
    }
}
