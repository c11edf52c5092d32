import Foundation
import TestSupport
import Testing

/// The gateway against upstreams that misbehave (the HTTP client's Python test upstream): each answer is the
/// error table's, and a DELETE that may have arrived is never sent twice.
@Suite(.serialized, .needs("python3"), .timeLimit(.minutes(2)))
struct HostileUpstreamEndToEndTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HTTPClientTests/Scripts/hostile_upstream.py").path

    /// Starts the upstream in `mode` (posix_spawn through TestSupport); returns the process, its port and its log path.
    static func upstream(_ mode: String) throws -> (SpawnedProcess, Int, String) {
        let log = NSTemporaryDirectory() + "hostile-\(UUID().uuidString.prefix(8)).log"
        try Data().write(to: URL(fileURLWithPath: log))
        let process = try SpawnedProcess(try Tools.require("python3"), ["-u", script, mode, log])
        guard let line = process.line(0), line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.signal(SIGKILL)
            struct NoPort: Error, CustomStringConvertible { var description: String }
            throw NoPort(description: process.output)
        }
        return (process, port, log)
    }


    func delete(mode: String, timeout: Double = 3) async throws -> (GatewayHarness.Reply, [String]) {
        // Waiting for the helper's port line blocks: off the cooperative pool.
        let (process, port, log) = try await OffPool.run { try Self.upstream(mode) }
        defer { process.kill() }
        var options = GatewayHarness.Options()
        options.timeoutSeconds = timeout
        options.baseURLOverride = "http://127.0.0.1:\(port)"
        let h = try GatewayHarness(options)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        await h.stop()
        try await Task.sleep(nanoseconds: 200_000_000)
        let lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        return (reply, lines)
    }

    @Test func gzipAnswerIs502BadResponse() async throws {
        let (reply, _) = try await delete(mode: "gzip")
        #expect(reply.status == 502)
        #expect(reply.code == "upstream_bad_response", "\(reply.text)")
    }

    @Test func garbageStatusLineIs502BadResponse() async throws {
        let (reply, _) = try await delete(mode: "garbage")
        #expect(reply.status == 502)
        #expect(reply.code == "upstream_bad_response", "\(reply.text)")
    }

    @Test func hundredMegabyteAnswerIs502BadResponse() async throws {
        let (reply, _) = try await delete(mode: "huge-length")
        #expect(reply.status == 502)
        #expect(reply.code == "upstream_bad_response", "\(reply.text)")
    }

    @Test func trickleIs504AtTheDeadline() async throws {
        let (reply, _) = try await delete(mode: "trickle", timeout: 1)
        #expect(reply.status == 504)
        #expect(reply.code == "upstream_timeout", "\(reply.text)")
    }

    @Test func listWithAnAbsurdTotalIs502BadResponseAndTheGatewayLivesOn() async throws {
        let (process, port, _) = try await OffPool.run { try Self.upstream("list-overflow") }
        defer { process.kill() }
        var options = GatewayHarness.Options()
        options.baseURLOverride = "http://127.0.0.1:\(port)"
        let h = try GatewayHarness(options)
        let first = try await h.send("GET", "/campaigns/voice", tenant: "v2")
        let second = try await h.send("GET", "/campaigns/sms?limit=1", tenant: "v1")
        let health = try await h.send("GET", "/healthz", key: nil)
        await h.stop()
        #expect(first.status == 502 && first.code == "upstream_bad_response", "\(first.status) \(first.text)")
        #expect(second.status == 502 && second.code == "upstream_bad_response", "\(second.status) \(second.text)")
        #expect(health.status == 200)
    }

    @Test func deleteToAnUpstreamClosingAfterReadingReachesItOnceAndIs502ConnectionLost() async throws {
        let (reply, lines) = try await delete(mode: "close-after-read")
        #expect(reply.status == 502)
        #expect(reply.code == "upstream_connection_lost", "\(reply.text)")
        #expect(lines.filter { $0.hasPrefix("req DELETE ") }.count == 1, "\(lines)")
    }
}
