import Foundation
import HTTPClient
import TestSupport
import Testing

/// The egress proxy: a real tinyproxy on loopback (CONNECT for https, absolute form for http), a Python one that
/// answers 407, and which proxy the settings pick.
@Suite(.serialized, .needs("python3", "openssl", "tinyproxy"), .timeLimit(.minutes(2)))
struct ProxyTests {
    /// tinyproxy in the foreground on a free port, logging each request line.
    static func tinyproxy() async throws -> ServerProcess {
        let dir = try Tools.temporaryDirectory("tinyproxy")
        let port = try FreePort.find()
        let config = """
            Port \(port)
            Listen 127.0.0.1
            Timeout 30
            LogLevel Connect
            LogFile "\(dir)/tinyproxy.log"
            MaxClients 50
            Allow 127.0.0.1
            DisableViaHeader Yes

            """
        try config.write(toFile: "\(dir)/tinyproxy.conf", atomically: true, encoding: .utf8)
        let proxy = try ServerProcess(executable: try Tools.require("tinyproxy"), ["-d", "-c", "\(dir)/tinyproxy.conf"],
                                      logPath: "\(dir)/tinyproxy.log", port: port)
        guard await OffPool.waitForListener(port: port) else {
            struct NotListening: Error {}
            throw NotListening()
        }
        return proxy
    }

    static func client(proxy port: Int, caFile: String? = nil) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.caFile = caFile
        configuration.proxy = ProxySettings.resolve(configured: ProxyEndpoint(host: "127.0.0.1", port: port), environment: { _ in nil })
        return HTTPClient(configuration: configuration)
    }

    static func send(_ client: HTTPClient, _ scheme: HTTPRequestTarget.Scheme, host: String, port: Int) async -> Result<HTTPClientResponse, HTTPClientError> {
        let target = HTTPRequestTarget(scheme: scheme, host: host, port: port, pathAndQuery: "/via-proxy")
        return await client.execute(HTTPClientRequest(method: "GET", target: target), timeoutSeconds: 5)
    }

    @Test func httpsGoesThroughAConnectTunnelWithTheChainStillVerified() async throws {
        let pki = try await TLSTests.pki()
        let upstream = try await ServerProcess.start(script: "tls_upstream.py", [pki.good, pki.key, "modern"])
        let proxy = try await Self.tinyproxy()
        let client = Self.client(proxy: proxy.port, caFile: pki.caFile)
        let response = try await Self.send(client, .https, host: "localhost", port: upstream.port).get()
        #expect(response.body == Array("tls-ok".utf8))
        #expect(proxy.log.contains { $0.contains("CONNECT localhost:\(upstream.port) HTTP/1.1") }, "\(proxy.log)")
        // Through the same tunnel, the certificate is still checked: a wrong CA is refused.
        let untrusting = Self.client(proxy: proxy.port, caFile: nil)
        let refused = await Self.send(untrusting, .https, host: "localhost", port: upstream.port)
        guard case .failure(.unavailable(let detail)) = refused else { Issue.record("got \(refused)"); return }
        #expect(detail.contains("not verified"))
    }

    @Test func httpGoesToTheProxyInAbsoluteForm() async throws {
        let upstream = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let proxy = try await Self.tinyproxy()
        let response = try await Self.send(Self.client(proxy: proxy.port), .http, host: "127.0.0.1", port: upstream.port).get()
        #expect(response.status == 200)
        #expect(proxy.log.contains { $0.contains("GET http://127.0.0.1:\(upstream.port)/via-proxy HTTP/1.1") }, "\(proxy.log)")
        #expect(upstream.count("req GET /via-proxy") == 1)
    }

    @Test func proxyFailingToReachTheUpstreamOnConnectIsUnavailable() async throws {
        let proxy = try await Self.tinyproxy()
        let closedPort = try FreePort.find()
        let result = await Self.send(Self.client(proxy: proxy.port), .https, host: "127.0.0.1", port: closedPort)
        guard case .failure(.unavailable(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("refused CONNECT") && detail.contains("HTTP 5"), "detail: \(detail)")
    }

    @Test func proxyAuthenticationRequiredIsUnavailableForHTTPSAndHTTP() async throws {
        let proxy = try await ServerProcess.start(script: "hostile_upstream.py", ["proxy407"])
        let client = Self.client(proxy: proxy.port)
        let https = await Self.send(client, .https, host: "kore.example", port: 443)
        guard case .failure(.unavailable(let httpsDetail)) = https else { Issue.record("got \(https)"); return }
        #expect(httpsDetail.contains("407"))
        let http = await Self.send(client, .http, host: "kore.example", port: 80)
        guard case .failure(.unavailable(let httpDetail)) = http else { Issue.record("got \(http)"); return }
        #expect(httpDetail.contains("407"))
    }

    @Test func environmentPicksTheProxyPerSchemeAndNoProxyExempts() {
        let env = ["https_proxy": "http://secure-proxy:3128", "HTTP_PROXY": "plain-proxy:8080", "NO_PROXY": "localhost, .internal.example,10.0.0.1"]
        let settings = ProxySettings.resolve(configured: nil, environment: { env[$0] })
        func proxy(_ scheme: HTTPRequestTarget.Scheme, _ host: String) -> String? {
            settings.proxy(for: HTTPRequestTarget(scheme: scheme, host: host, port: 443, pathAndQuery: "/"))?.description
        }
        #expect(proxy(.https, "platform.kore.ai") == "http://secure-proxy:3128")
        #expect(proxy(.http, "sim.example") == "http://plain-proxy:8080")
        #expect(proxy(.https, "localhost") == nil)
        #expect(proxy(.https, "api.internal.example") == nil)
        #expect(proxy(.https, "internal.example") == nil)
        #expect(proxy(.https, "notinternal.example") == "http://secure-proxy:3128")
        #expect(proxy(.https, "10.0.0.1") == nil)
        let configured = ProxySettings.resolve(configured: ProxyEndpoint(url: "http://egress:3128/"), environment: { env[$0] })
        #expect(configured.proxy(for: HTTPRequestTarget(scheme: .http, host: "a.example", port: 80, pathAndQuery: "/"))?.description == "http://egress:3128")
        #expect(configured.proxy(for: HTTPRequestTarget(scheme: .https, host: "localhost", port: 443, pathAndQuery: "/")) == nil)
        #expect(ProxySettings.resolve(configured: nil, environment: { ["NO_PROXY": "*", "HTTPS_PROXY": "http://p:1"][$0] })
            .proxy(for: HTTPRequestTarget(scheme: .https, host: "x.example", port: 443, pathAndQuery: "/")) == nil)
        #expect(ProxyEndpoint(url: "https://p:1") == nil)
        #expect(ProxyEndpoint(url: "http://p") == nil)
        #expect(ProxyEndpoint(url: "http://user:pw@p:1") == nil)
    }
}
