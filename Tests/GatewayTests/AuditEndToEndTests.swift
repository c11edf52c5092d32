import Gateway
import Foundation
import GatewayCrypto
import HTTPServer
import KoreSimulator
import TestSupport
import Testing

/// The audit trail: one record per write that reached Kore.ai, on disk before the caller hears the outcome.
@Suite struct AuditEndToEndTests {
    static func records(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func recordsEveryWriteThatReachedKoreAndNothingElse() async throws {
        var options = GatewayHarness.Options()
        options.audit = true
        let h = try GatewayHarness(options)
        let v1 = GatewayHarness.apiKeys["v1only"]
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: v1, headers: ["X-Request-Id": "audit-1"])
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: v1, headers: ["X-Request-Id": "audit-2"])  // 404 upstream
        _ = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", key: v1, headers: ["X-Request-Id": "audit-3"],
                             body: Samples.data(Samples.voiceBody(withDnc: false)))
        h.simulator.inject(.status(401), count: 2)
        _ = try await h.send("DELETE", "/campaigns/sms/\(Samples.v1SmsDelete)", key: v1, headers: ["X-Request-Id": "audit-4"])
        // None of these reach Kore.ai, so none is audited.
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceUpdate)", key: "wrong")
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceUpdate)?dryRun=true", key: v1)
        _ = try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", key: v1, body: Data("{}".utf8))
        let simulatorCalls = h.simulator.callCount
        let records = try Self.records(h.directory + "/audit.jsonl")
        await h.stop()

        #expect(records.map { $0["requestId"] as? String } == ["audit-1", "audit-2", "audit-3", "audit-4"])
        #expect(records.map { $0["outcome"] as? String } == ["succeeded", "failed", "succeeded", "failed"])
        #expect(records.map { $0["operation"] as? String } == ["delete", "delete", "update", "delete"])
        #expect(records.map { $0["upstreamStatus"] as? Int } == [200, 404, 200, 401])
        #expect(records.allSatisfy { $0["client"] as? String == "v1-app" && $0["tenant"] as? String == "v1" && $0["time"] is String })
        // Every upstream call the simulator saw is accounted for (the 401 was retried once with a fresh token).
        let attempts = records.compactMap { $0["upstreamAttempts"] as? Int }.reduce(0, +)
        #expect(attempts == simulatorCalls)
        #expect(simulatorCalls == 5)
    }

    /// A write that reads first (If-Match) and then times out: the record describes the DELETE's own call (no
    /// answer, outcome unknown), not the 200 of the read before it, which is kept apart under `readFirst`.
    @Test func aTimedOutWriteAfterASuccessfulReadIsAuditedAsUnknown() async throws {
        var options = GatewayHarness.Options()
        options.audit = true
        options.timeoutSeconds = 1
        let h = try GatewayHarness(options)
        h.simulator.inject(.latency(milliseconds: 0), count: 1)      // the read
        h.simulator.inject(.latency(milliseconds: 3000), count: 1)   // the DELETE: past the deadline
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"],
                                     headers: ["X-Request-Id": "read-then-timeout", "If-Match": "*"])
        let records = try Self.records(h.directory + "/audit.jsonl")
        await h.stop()
        #expect(reply.status == 504, "\(reply.text)")
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record["requestId"] as? String == "read-then-timeout")
        #expect(record["status"] as? Int == 504)
        #expect(record["upstreamStatus"] is NSNull, "\(record)")
        #expect(record["outcome"] as? String == "unknown", "\(record)")
        #expect(record["code"] as? String == "upstream_timeout")
        #expect(record["upstreamAttempts"] as? Int == 1, "\(record)")
        let read = try #require(record["readFirst"] as? [String: Any], "\(record)")
        #expect(read["upstreamStatus"] as? Int == 200 && read["upstreamAttempts"] as? Int == 1, "\(read)")
    }

    /// The record is on disk when the response arrives: SIGKILL right after it loses nothing.
    @Test func recordSurvivesSigkillRightAfterTheResponse() async throws {
        let simulator = KoreSimulator(tenants: [GatewayHarness.v1Sim])
        let simServer = simulator.makeServer(host: "127.0.0.1", port: 0)
        let simPort = try simServer.start()
        let dir = NSTemporaryDirectory() + "audit-kill-" + SecureRandom.hexString(byteCount: 4)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try FreePort.find()
        let key = "audit-kill-key-0001"
        let config = """
        { "listen": { "host": "127.0.0.1", "port": \(port) },
          "tenants": [ { "name": "v1", "baseURL": "http://127.0.0.1:\(simPort)", "apiVersion": "v1", "streamId": "st-test-v1",
                         "accountId": "acct-test-1", "clientId": "cs-test-v1", "clientSecret": { "env": "V1_SECRET" } } ],
          "clients": [ { "name": "killer", "apiKeySHA256": "\(Hex.encode(SHA256.hash(Array(key.utf8))))", "tenants": ["v1"], "scopes": ["delete"] } ],
          "audit": { "path": "audit.jsonl", "fsync": true } }
        """
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/gateway.json"))
        let binary = try BinaryLocator.path("campaign-gateway")
        let gateway = try SpawnedProcess(binary, ["serve", "--config", dir + "/gateway.json"],
                                         environment: ["V1_SECRET": "secret-v1-for-tests-only"])
        defer { gateway.signal(SIGKILL) }
        try await FreePort.waitUntilReady(port: port)

        let curl = "curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Authorization: Bearer \(key)' -H 'X-Request-Id: killed-1' http://127.0.0.1:\(port)/campaigns/voice/\(Samples.v1VoiceDelete)"
        // Kill the gateway the instant curl has the answer.
        let status = try await OffPool.run { () -> String in
            let output = try ChildProcess.run("/bin/sh", ["-c", curl]).output
            gateway.signal(SIGKILL)
            return output
        }
        let exit = try await OffPool.run { gateway.waitForExit(timeoutSeconds: 10) }
        await simServer.shutdown(graceSeconds: 1)
        #expect(status == "200")
        #expect(exit?.bySignal == true && exit?.status == SIGKILL, "the gateway was not killed: \(String(describing: exit))")
        let records = try Self.records(dir + "/audit.jsonl")
        #expect(records.count == 1)
        #expect(records.first?["requestId"] as? String == "killed-1")
        #expect(records.first?["outcome"] as? String == "succeeded")
    }
}

@Suite struct AuditReloadTests {
    /// A reload whose audit log cannot be opened is refused: auditing never silently stops.
    @Test func reloadWithAnUnopenableAuditLogIsRefused() async throws {
        var options = GatewayHarness.Options()
        options.audit = true
        let h = try GatewayHarness(options)
        let path = h.directory + "/gateway.json"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        try original.replacingOccurrences(of: "\"path\": \"audit.jsonl\"", with: "\"path\": \"/nonexistent-dir/audit.jsonl\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let reloaded = h.runtime.reload()
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        let records = try AuditEndToEndTests.records(h.directory + "/audit.jsonl")
        await h.stop()
        #expect(!reloaded)
        #expect(h.logLines.text.contains("\"event\":\"reload_refused\""))
        #expect(records.count == 1)
    }

    /// logrotate moves the file away and sends SIGHUP: the next record goes to a new file at the configured path.
    @Test func reloadReopensTheAuditFileForLogrotate() async throws {
        var options = GatewayHarness.Options()
        options.audit = true
        let h = try GatewayHarness(options)
        let v1 = GatewayHarness.apiKeys["v1only"]
        let path = h.directory + "/audit.jsonl"
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: v1, headers: ["X-Request-Id": "before-rotation"])
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        let reloaded = h.runtime.reload()
        _ = try await h.send("DELETE", "/campaigns/sms/\(Samples.v1SmsDelete)", key: v1, headers: ["X-Request-Id": "after-rotation"])
        let rotated = try AuditEndToEndTests.records(path + ".1")
        let fresh = try AuditEndToEndTests.records(path)
        await h.stop()
        #expect(reloaded)
        #expect(rotated.map { $0["requestId"] as? String } == ["before-rotation"])
        #expect(fresh.map { $0["requestId"] as? String } == ["after-rotation"])
    }
}
