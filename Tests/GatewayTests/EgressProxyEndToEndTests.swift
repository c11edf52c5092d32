@testable import Gateway
import Foundation
import GatewayCrypto
import KoreAdapter
import KoreSimulator
import TestSupport
import Testing

/// The egress proxy as the gateway uses it: a setting it cannot use stops `check-config` and `serve` with the reason
/// (never a silent direct connection), credentials are used but never printed, and what the proxy answers itself is
/// never taken for Kore.ai's answer.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CI"] == "true" || FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
                        || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/python3")),
       .timeLimit(.minutes(2)))
struct EgressProxyEndToEndTests {
    static func configFile() throws -> (directory: String, path: String) {
        let dir = NSTemporaryDirectory() + "proxy-cfg-" + SecureRandom.hexString(byteCount: 4)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let hash = Hex.encode(SHA256.hash(Array("proxy-test-key-0001".utf8)))
        let config = """
        { "listen": { "host": "127.0.0.1", "port": 0 },
          "tenants": [ { "name": "t", "baseURL": "https://platform.kore.ai", "apiVersion": "v2", "streamId": "st-1", "accountId": "a-1",
                         "clientId": "cs-1", "clientSecret": { "env": "S" } } ],
          "clients": [ { "name": "app", "apiKeySHA256": "\(hash)", "tenants": ["t"], "scopes": ["read"] } ] }
        """
        let path = dir + "/gateway.json"
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        return (dir, path)
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var variable: String
        var value: String
        var reason: String
        var description: String { "\(variable)=\(value)" }
    }

    static let refusals: [Refusal] = [
        Refusal(variable: "HTTPS_PROXY", value: "https://proxy.internal:3128", reason: "TLS"),
        Refusal(variable: "https_proxy", value: "socks5://proxy.internal:1080", reason: "socks5"),
        Refusal(variable: "HTTP_PROXY", value: "http://proxy.internal:99999", reason: "port"),
        Refusal(variable: "ALL_PROXY", value: "http://proxy.internal:3128/some/path", reason: "path"),
        Refusal(variable: "HTTPS_PROXY", value: "http://proxy internal:3128", reason: "space"),
        Refusal(variable: "HTTPS_PROXY", value: "http://proxy_internal!:3128", reason: "host"),
        Refusal(variable: "NO_PROXY", value: "localhost,10.0.0.0/99", reason: "10.0.0.0/99"),
    ]

    /// `check-config` exits 1 naming the variable and the reason; `serve` logs the same and exits 1 instead of
    /// connecting around the proxy.
    @Test(arguments: refusals)
    func anUnusableProxySettingStopsCheckConfigAndServe(_ refusal: Refusal) async throws {
        let (dir, path) = try Self.configFile()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = try BinaryLocator.path("campaign-gateway")
        let environment = ["S": "secret-for-tests", refusal.variable: refusal.value]
        let check = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: environment) }
        #expect(check.status == 1, "check-config accepted \(refusal): \(check.output)")
        #expect(check.output.contains(refusal.variable) && check.output.contains(refusal.reason), "\(check.output)")
        let serve = try SpawnedProcess(binary, ["serve", "--config", path], environment: environment)
        let exit = try await OffPool.run { serve.waitForExit(timeoutSeconds: 10) }
        serve.signal(SIGKILL)
        #expect(exit?.status == 1, "serve with \(refusal) did not stop: \(String(describing: exit)) \(serve.output)")
        #expect(serve.output.contains("config_invalid") && serve.output.contains(refusal.variable), "\(serve.output)")
    }

    @Test func credentialsAreUsedAndNeverPrinted() async throws {
        let (dir, path) = try Self.configFile()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = try BinaryLocator.path("campaign-gateway")
        let environment = ["S": "secret-for-tests", "HTTPS_PROXY": "http://egress-user:s3cret%40pw@proxy.internal:3128", "NO_PROXY": "10.0.0.0/8,.svc"]
        let check = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: environment) }
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("proxy.internal:3128"), "the proxy in use is shown: \(check.output)")
        #expect(!check.output.contains("s3cret") && !check.output.contains("egress-user"), "\(check.output)")
    }

    /// The proxy takes effect at the next start, but a file `check-config` refuses is refused by a reload too.
    @Test func aReloadWithAnUnusableProxyIsRefused() async throws {
        let h = try GatewayHarness()
        let path = h.directory + "/gateway.json"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        try original.replacingOccurrences(of: "\"requestsPerMinutePerAccount\"", with: "\"proxy\": \"socks5://egress:1080\", \"requestsPerMinutePerAccount\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let reloaded = h.runtime.reload()
        await h.stop()
        #expect(!reloaded)
        #expect(h.logLines.text.contains("\"event\":\"reload_refused\"") && h.logLines.text.contains("upstream.proxy"), "\(h.logLines.text)")
    }

    /// A proxy in front of every tenant that answers each request itself with `mode`'s status (403 or 502).
    func throughAnsweringProxy(_ mode: String, requests: Int) async throws -> (replies: [GatewayHarness.Reply], mints: Int, breaker: Int, calls: Int) {
        let (process, port, _) = try await OffPool.run { try HostileUpstreamEndToEndTests.upstream(mode) }
        defer { process.kill() }
        var options = GatewayHarness.Options()
        options.maxRetries = 0
        options.upstreamExtra = #", "proxy": "http://127.0.0.1:\#(port)""#
        let h = try GatewayHarness(options)
        var replies: [GatewayHarness.Reply] = []
        for _ in 0..<requests {
            replies.append(try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1"))
        }
        let tenant = h.runtime.handler.state.tenants["v1"]
        let result = (replies, tenant?.tokens.mintCount ?? -1, tenant?.breaker.stateValue ?? -1, h.simulator.callCount)
        await h.stop()
        return result
    }

    @Test func aProxysOwn403OnAnHTTPTenantIsNotKoreAisRefusal() async throws {
        let (replies, mints, _, calls) = try await throughAnsweringProxy("proxy403", requests: 1)
        let reply = try #require(replies.first)
        #expect(reply.status == 502 && reply.code == "upstream_unavailable", "\(reply.status) \(reply.text)")
        #expect(reply.text.contains("proxy"), "\(reply.text)")
        #expect(mints <= 1, "the token was thrown away for the proxy's 403 (\(mints) mints)")
        #expect(calls == 0)
    }

    @Test func aProxysOwn502OnAnHTTPTenantDoesNotOpenTheBreaker() async throws {
        let (replies, _, breaker, _) = try await throughAnsweringProxy("proxy502", requests: 7)
        #expect(replies.allSatisfy { $0.code == "upstream_unavailable" }, "\(replies.map { "\($0.status) \($0.code ?? "")" })")
        #expect(breaker == 0, "breaker state \(breaker) after the proxy's own 502s")
    }
}
