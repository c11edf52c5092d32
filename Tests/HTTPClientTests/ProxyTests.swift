import Foundation
import HTTPClient
import TestSupport
import Testing

/// The egress proxy: a real tinyproxy on loopback (a CONNECT tunnel for every target, so whatever the proxy answers
/// itself can never pass for the server's answer), a Python one that answers 407, and which proxy the settings pick.
@Suite(.serialized, .needs("python3", "openssl", "tinyproxy"), .timeLimit(.minutes(2)))
struct ProxyTests {
    /// tinyproxy in the foreground on a free port, logging each request line.
    static func tinyproxy(_ extra: String = "") async throws -> ServerProcess {
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
            \(extra)

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
        configuration.proxy = ProxySettings(httpProxy: ProxyEndpoint(host: "127.0.0.1", port: port), httpsProxy: ProxyEndpoint(host: "127.0.0.1", port: port))
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

    @Test func httpGoesThroughAConnectTunnelToo() async throws {
        let upstream = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let proxy = try await Self.tinyproxy()
        let response = try await Self.send(Self.client(proxy: proxy.port), .http, host: "127.0.0.1", port: upstream.port).get()
        #expect(response.status == 200)
        #expect(proxy.log.contains { $0.contains("CONNECT 127.0.0.1:\(upstream.port) HTTP/1.1") }, "\(proxy.log)")
        #expect(!proxy.log.contains { $0.contains("GET http://") }, "\(proxy.log)")
        #expect(upstream.count("req GET /via-proxy") == 1)
    }

    /// The proxy refusing the tunnel itself (tinyproxy allows CONNECT to port 443 only here) is never an answer
    /// of the server's: no response comes back, whatever status the proxy used.
    @Test func theProxysOwnRefusalOfAnHTTPTargetIsNotAResponse() async throws {
        let upstream = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let proxy = try await Self.tinyproxy("ConnectPort 443")
        let result = await Self.send(Self.client(proxy: proxy.port), .http, host: "127.0.0.1", port: upstream.port)
        guard case .failure(let error) = result else { Issue.record("the proxy's refusal came back as a response: \(result)"); return }
        #expect("\(error)".contains("refused CONNECT"), "\(error)")
        #expect(upstream.count("req ") == 0)
    }

    /// `http://user:password@host:port`: the credentials (percent-decoded, as curl reads them) go to the proxy as
    /// `Proxy-Authorization: Basic`, on CONNECT only.
    @Test func credentialsInTheProxyURLBecomeBasicProxyAuthorization() async throws {
        let upstream = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let proxy = try await Self.tinyproxy("BasicAuth egress p-ss_w0rd")  // tinyproxy takes only letters, digits, - and _ here
        func client(_ url: String) -> HTTPClient {
            var configuration = HTTPClient.Configuration()
            let endpoint = ProxyEndpoint(url: url)
            configuration.proxy = ProxySettings(httpProxy: endpoint, httpsProxy: endpoint)
            return HTTPClient(configuration: configuration)
        }
        let authorized = await Self.send(client("http://egress:p%2Dss_w0rd@127.0.0.1:\(proxy.port)"), .http, host: "127.0.0.1", port: upstream.port)
        #expect((try? authorized.get().status) == 200, "\(authorized)")
        #expect(proxy.log.contains { $0.contains("CONNECT 127.0.0.1:\(upstream.port)") }, "\(proxy.log)")
        let anonymous = await Self.send(client("http://127.0.0.1:\(proxy.port)"), .http, host: "127.0.0.1", port: upstream.port)
        guard case .failure(let error) = anonymous else { Issue.record("got \(anonymous)"); return }
        #expect("\(error)".contains("407"), "\(error)")
        #expect(upstream.count("req ") == 1)
    }

    @Test func proxyFailingToReachTheUpstreamOnConnectIsAProxyFailure() async throws {
        let proxy = try await Self.tinyproxy()
        let closedPort = try FreePort.find()
        let result = await Self.send(Self.client(proxy: proxy.port), .https, host: "127.0.0.1", port: closedPort)
        guard case .failure(.proxyFailed(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("refused CONNECT") && detail.contains("HTTP 5"), "detail: \(detail)")
    }

    @Test func proxyAuthenticationRequiredIsAProxyFailureForHTTPSAndHTTP() async throws {
        let proxy = try await ServerProcess.start(script: "hostile_upstream.py", ["proxy407"])
        let client = Self.client(proxy: proxy.port)
        let https = await Self.send(client, .https, host: "kore.example", port: 443)
        guard case .failure(.proxyFailed(let httpsDetail)) = https else { Issue.record("got \(https)"); return }
        #expect(httpsDetail.contains("407") && httpsDetail.contains("asks for credentials"))
        let http = await Self.send(client, .http, host: "kore.example", port: 80)
        guard case .failure(.proxyFailed(let httpDetail)) = http else { Issue.record("got \(http)"); return }
        #expect(httpDetail.contains("407"))
    }

    @Test func anUnreachableProxyIsAProxyFailure() async throws {
        let closedPort = try FreePort.find()
        let result = await Self.send(Self.client(proxy: closedPort), .https, host: "kore.example", port: 443)
        guard case .failure(.proxyFailed(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("cannot be reached"), "\(detail)")
    }

    @Test func environmentPicksTheProxyPerSchemeAndNoProxyExempts() throws {
        let env = ["https_proxy": "http://secure-proxy:3128", "HTTP_PROXY": "plain-proxy:8080", "NO_PROXY": "localhost, .internal.example,10.0.0.1"]
        let settings = try #require(try? ProxySettings.resolve(configured: nil, environment: { env[$0] }).get())
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
        let configured = try ProxySettings.resolve(configured: ProxyEndpoint(url: "http://egress:3128/"), environment: { env[$0] }).get()
        #expect(configured.proxy(for: HTTPRequestTarget(scheme: .http, host: "a.example", port: 80, pathAndQuery: "/"))?.description == "http://egress:3128")
        #expect(configured.proxy(for: HTTPRequestTarget(scheme: .https, host: "localhost", port: 443, pathAndQuery: "/")) == nil)
        #expect(try ProxySettings.resolve(configured: nil, environment: { ["NO_PROXY": "*", "HTTPS_PROXY": "http://p:1"][$0] }).get()
            .proxy(for: HTTPRequestTarget(scheme: .https, host: "x.example", port: 443, pathAndQuery: "/")) == nil)
        #expect(ProxyEndpoint(url: "https://p:1") == nil)
    }

    /// As curl reads them: no port means 1080, no scheme means http, `ALL_PROXY` when the scheme's variable is unset,
    /// and `NO_PROXY` entries in CIDR notation for IP literals.
    @Test func environmentValuesAreReadAsCurlReadsThem() {
        func proxy(_ env: [String: String], _ scheme: HTTPRequestTarget.Scheme = .https, host: String = "platform.kore.ai") -> String? {
            (try? ProxySettings.resolve(configured: nil, environment: { env[$0] }).get())?
                .proxy(for: HTTPRequestTarget(scheme: scheme, host: host, port: 443, pathAndQuery: "/"))?.description
        }
        #expect(proxy(["HTTPS_PROXY": "http://egress"]) == "http://egress:1080")
        #expect(proxy(["HTTPS_PROXY": "egress.internal"]) == "http://egress.internal:1080")
        #expect(proxy(["HTTPS_PROXY": "HTTP://Egress:3128/"]) == "http://egress:3128")
        #expect(proxy(["ALL_PROXY": "http://all:3128"]) == "http://all:3128")
        #expect(proxy(["all_proxy": "http://all:3128"], .http, host: "sim.example") == "http://all:3128")
        #expect(proxy(["ALL_PROXY": "http://all:3128", "HTTPS_PROXY": "http://secure:3128"]) == "http://secure:3128")
        let cidr = ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8, fd00::/8,192.168.1.7/32"]
        #expect(proxy(cidr, host: "10.20.30.40") == nil)
        #expect(proxy(cidr, host: "11.0.0.1") == "http://p:1")
        #expect(proxy(cidr, host: "fd00::1") == nil)
        #expect(proxy(cidr, host: "fe80::1") == "http://p:1")
        #expect(proxy(cidr, host: "192.168.1.7") == nil)
        #expect(proxy(cidr, host: "192.168.1.8") == "http://p:1")
        #expect(proxy(cidr, host: "10.example") == "http://p:1")
        // Credentials are used, never shown.
        let withCredentials = proxy(["HTTPS_PROXY": "http://user:s3cret@egress:3128"])
        #expect(withCredentials?.contains("egress:3128") == true && withCredentials?.contains("s3cret") == false && withCredentials?.contains("user") == false,
                "\(String(describing: withCredentials))")
    }

    /// Every value that would be used is understood or refused with the reason (and the variable's name), never
    /// skipped: a skipped proxy would mean connecting around it.
    @Test(arguments: [
        (["HTTPS_PROXY": "https://p:3128"], "HTTPS_PROXY", "TLS"),
        (["https_proxy": "socks5h://p:1080", "HTTPS_PROXY": "http://p:3128"], "https_proxy", "SOCKS"),
        (["HTTP_PROXY": "http://p:0"], "HTTP_PROXY", "port"),
        (["ALL_PROXY": "http://p:3128/x"], "ALL_PROXY", "path"),
        (["HTTPS_PROXY": "http://p:3128?x=1"], "HTTPS_PROXY", "query"),
        (["HTTPS_PROXY": "http://:pw@p:3128"], "HTTPS_PROXY", "user name"),
        (["HTTPS_PROXY": "http://u:%zz@p:3128"], "HTTPS_PROXY", "percent"),
        (["HTTPS_PROXY": "http://u%3Ax:pw@p:3128"], "HTTPS_PROXY", "colon"),
        (["HTTPS_PROXY": "http://[::1:3128"], "HTTPS_PROXY", "IPv6"),
        (["HTTPS_PROXY": "ftp://p:21"], "HTTPS_PROXY", "ftp"),
        (["HTTPS_PROXY": "http://p\u{00E9}:1"], "HTTPS_PROXY", "non-ASCII"),
        (["HTTPS_PROXY": "http://p:1", "no_proxy": "*.example.com"], "no_proxy", ".example.com"),
        (["HTTPS_PROXY": "http://p:1", "NO_PROXY": "host:8080"], "NO_PROXY", "host:8080"),
        (["HTTPS_PROXY": "http://p:1", "NO_PROXY": "fd00::/129"], "NO_PROXY", "128 bits"),
    ])
    func unusableValuesAreRefusedWithTheVariableAndTheReason(_ env: [String: String], variable: String, reason: String) {
        let result = ProxySettings.resolve(configured: nil, environment: { env[$0] })
        guard case .failure(let error) = result else { Issue.record("\(env) was accepted: \(result)"); return }
        #expect(error.variable == variable, "\(error)")
        #expect(error.description.contains(reason), "\(error)")
        // A proxy URL is never repeated (it may hold a password); a NO_PROXY entry is named, to be found.
        for (name, value) in env where name.lowercased() != "no_proxy" && value.count > 8 { #expect(!error.description.contains(value)) }
    }

    @Test func credentialsAreDecodedAndSentAsBasic() throws {
        let endpoint = try ProxyEndpoint.parse("http://egress%40corp:p%3Ass%20w@[fd00::1]:3128/").get()
        #expect(endpoint.host == "fd00::1" && endpoint.port == 3128)
        #expect(endpoint.credentials?.user == "egress@corp" && endpoint.credentials?.password == "p:ss w")
        #expect(endpoint.description == "http://<redacted>@[fd00::1]:3128")
        #expect(endpoint.credentials.map { "\($0)" } == "<redacted>")
        var dumped = ""
        dump(endpoint, to: &dumped)
        #expect(!dumped.contains("p:ss") && !dumped.contains("egress@corp") && "\(String(reflecting: endpoint))".contains("<redacted>"), "\(dumped)")
        #expect(try ProxyEndpoint.parse("user@p").get().credentials == ProxyCredentials(user: "user", password: ""))
    }
}
