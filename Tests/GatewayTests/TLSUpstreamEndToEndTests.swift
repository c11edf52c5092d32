import Foundation
import KoreSimulator
import TestSupport
import Testing

/// The gateway calling an https upstream: nginx terminating TLS with a certificate from a CA made in the test, in
/// front of the simulator; `upstream.caFile` trusts that CA, `upstream.proxy` sends the call through tinyproxy.
@Suite(.serialized, .needs("nginx", "openssl", "tinyproxy"), .timeLimit(.minutes(2)))
struct TLSUpstreamEndToEndTests {
    static let certificates = Result { try TestCertificates.make() }

    /// nginx on a free port, TLS with `certificate`, proxying to the simulator.
    final class TLSFront: Sendable {
        let process: SpawnedProcess
        let port: Int

        init(certificate: String, key: String, simulatorPort: Int) throws {
            let dir = NSTemporaryDirectory() + "tls-front-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            port = try FreePort.find()
            let config = """
                # One process, so ending it leaves no orphaned worker behind.
                master_process off;
                daemon off;
                pid \(dir)/nginx.pid;
                error_log \(dir)/error.log warn;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path \(dir); proxy_temp_path \(dir); fastcgi_temp_path \(dir); uwsgi_temp_path \(dir); scgi_temp_path \(dir);
                  server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(certificate);
                    ssl_certificate_key \(key);
                    location / { proxy_pass http://127.0.0.1:\(simulatorPort); }
                  }
                }

                """
            try config.write(toFile: "\(dir)/nginx.conf", atomically: true, encoding: .utf8)
            process = try SpawnedProcess(try Tools.require("nginx"), ["-c", "\(dir)/nginx.conf", "-p", dir])
        }

        deinit { process.kill() }
    }

    static func harness(certificate: (TestCertificates) -> String, trust: (TestCertificates) -> String,
                        upstreamExtra: String = "") async throws -> (GatewayHarness, Box) {
        // Ten openssl runs the first time: off the cooperative pool.
        let pki = try await OffPool.run { try certificates.get() }
        let box = Box()
        var options = GatewayHarness.Options()
        options.timeoutSeconds = 5
        options.maxRetries = 0
        options.upstreamExtra = #", "caFile": "\#(trust(pki))""# + upstreamExtra
        let served = certificate(pki)
        options.baseURLForSimulator = { simulatorPort in
            let front = try TLSFront(certificate: served, key: pki.key, simulatorPort: simulatorPort)
            box.front = front
            return "https://localhost:\(front.port)"
        }
        let harness = try GatewayHarness(options)
        guard let front = box.front, await OffPool.waitForListener(port: front.port) else {
            throw TestCertificates.Failure(description: "nginx did not listen: \(box.front?.process.output ?? "not started")")
        }
        return (harness, box)
    }

    /// Keeps the TLS front alive as long as the test holds it.
    final class Box: @unchecked Sendable {  // written once, inside the harness's init, before any other use
        var front: TLSFront?
    }

    @Test func deleteOverTLSWithTheConfiguredCAFile() async throws {
        let (h, box) = try await Self.harness(certificate: \.good, trust: \.caFile)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        #expect(h.simulator.callCount == 1)
        _ = box
    }

    @Test func certificateThatDoesNotVerifyIs502UnavailableAndNothingReachesKore() async throws {
        let (h, box) = try await Self.harness(certificate: \.unknownCA, trust: \.caFile)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        await h.stop()
        #expect(reply.status == 502)
        #expect(reply.code == "upstream_unavailable", "\(reply.text)")
        #expect(reply.text.contains("not verified"), "the detail names the cause: \(reply.text)")
        #expect(h.simulator.callCount == 0, "no request, so no token, reached the upstream")
        _ = box
    }

    @Test func deleteThroughTheConfiguredEgressProxy() async throws {
        let dir = NSTemporaryDirectory() + "tinyproxy-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let proxyPort = try FreePort.find()
        try """
            Port \(proxyPort)
            Listen 127.0.0.1
            Timeout 30
            LogLevel Connect
            LogFile "\(dir)/tinyproxy.log"
            Allow 127.0.0.1

            """.write(toFile: "\(dir)/tinyproxy.conf", atomically: true, encoding: .utf8)
        let proxy = try SpawnedProcess(try Tools.require("tinyproxy"), ["-d", "-c", "\(dir)/tinyproxy.conf"])
        defer { proxy.kill() }
        #expect(await OffPool.waitForListener(port: proxyPort), "tinyproxy listens")
        let (h, box) = try await Self.harness(certificate: \.good, trust: \.caFile,
                                        upstreamExtra: #", "proxy": "http://127.0.0.1:\#(proxyPort)""#)
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"])
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        let log = (try? String(contentsOfFile: "\(dir)/tinyproxy.log", encoding: .utf8)) ?? ""
        #expect(log.contains("CONNECT localhost:\(box.front?.port ?? 0)"), "\(log)")
    }
}
