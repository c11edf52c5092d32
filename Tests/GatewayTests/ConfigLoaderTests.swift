import Foundation
import Gateway
import GatewayCrypto
import HTTPClient
import Testing
import GatewayConfiguration
import TestSupport

@Suite struct ConfigLoaderTests {
    static let hash = Hex.encode(SHA256.hash(Array("k".utf8)))

    static func document(tenant: String = #""clientSecret": {"env": "S"}"#, extra: String = "") -> String {
        """
        { "tenants": [ { "name": "acme", "baseURL": "https://platform.kore.ai", "apiVersion": "v2", "streamId": "st-1",
                         "accountId": "a1", "clientId": "cs-1", \(tenant) } ],
          "clients": [ { "name": "app", "apiKeySHA256": "\(hash)", "tenants": ["acme"], "scopes": ["delete"] } ]\(extra) }
        """
    }

    func load(_ text: String, env: [String: String] = ["S": "s3cret"], dir: String = "/nonexistent") -> Result<GatewayConfigLoader.Loaded, ConfigError> {
        do {
            return .success(try GatewayConfigLoader(environment: env).parse(bytes: Array(text.utf8), baseDirectory: dir))
        } catch {
            return .failure(error)
        }
    }

    func issues(_ text: String, env: [String: String] = ["S": "s3cret"]) -> [String] {
        if case .failure(let error) = load(text, env: env) { return error.issues.map(\.description) }
        return []
    }

    @Test func minimalDocumentGetsTheDocumentedDefaults() throws {
        let loaded = try load(Self.document()).get()
        let c = loaded.config
        #expect(c.listen.host == "0.0.0.0" && c.listen.port == 8080)
        #expect(c.upstream.timeoutSeconds == 10 && c.upstream.maxRetries == 2 && c.upstream.requestsPerMinutePerAccount == 60)
        #expect(c.limits.maxBodyBytes == 1_048_576 && c.limits.maxHeaderBytes == 16384 && c.limits.maxConnections == 10000)
        #expect(c.shutdownGraceSeconds == 10)
        #expect(c.upstream.proxy == nil && c.upstream.caFile == nil && c.upstream.maxResponseBytes == 4 << 20)
        #expect(c.upstream.pacingMaxWaitSeconds == 0 && c.upstream.fallbackReplicas == 4 && c.idempotency.ttlSeconds == 86_400)
        #expect(c.tenants[0].algorithm == .hs256 && c.tenants[0].tokenTTLSeconds == 300 && !c.tenants[0].enforceJti)
        #expect(c.tenants[0].clientSecret == Array("s3cret".utf8))
        #expect(loaded.warnings.isEmpty)
    }

    @Test func upstreamProxyCAFileAndResponseCapAreReadAndChecked() throws {
        let good = Self.document(extra: #", "upstream": { "proxy": "http://proxy.internal:3128", "caFile": "/etc/hostname", "maxResponseBytes": 65536 }"#)
        let upstream = try load(good).get().config.upstream
        #expect(upstream.proxy == "http://proxy.internal:3128")
        #expect(upstream.caFile == "/etc/hostname")
        #expect(upstream.maxResponseBytes == 65536)
        let relative = try load(Self.document(extra: #", "upstream": { "caFile": "hostname" }"#), dir: "/etc").get()
        #expect(relative.config.upstream.caFile == "/etc/hostname")
        // The file's proxy goes through the HTTP client's parser, as the environment's does (EgressProxy).
        for (proxy, message) in [("https://p:1", "TLS to the proxy"), ("http://p:99999", "port"), ("http://p:1/x", "path")] {
            var found: [String] = []
            if case .failure(let error) = EgressProxy.settings(configured: proxy, environment: [:]) { found = error.issues.map(\.description) }
            #expect(found.contains { $0.hasPrefix("upstream.proxy") && $0.contains(message) }, "\(proxy): \(found)")
        }
        let withCredentials = try EgressProxy.settings(configured: "http://user:pw@p", environment: ["NO_PROXY": ".svc"]).get()
        #expect(withCredentials.httpsProxy == ProxyEndpoint(host: "p", port: 1080, credentials: ProxyCredentials(user: "user", password: "pw")))
        #expect(withCredentials.httpProxy == withCredentials.httpsProxy && withCredentials.noProxy == [.domain("svc")])
        #expect(issues(Self.document(extra: #", "upstream": { "caFile": "/nonexistent/ca.pem" }"#)) == ["upstream.caFile: cannot read /nonexistent/ca.pem"])
        #expect(issues(Self.document(extra: #", "upstream": { "maxResponseBytes": 10 }"#)).contains { $0.hasPrefix("upstream.maxResponseBytes") })
    }

    @Test func pacingAndIdempotencySettingsAreReadAndChecked() throws {
        let good = Self.document(extra: #", "upstream": { "requestsPerMinutePerAccount": 30, "pacingMaxWaitSeconds": 2.5, "fallbackReplicas": 3 }, "idempotency": { "ttlSeconds": 3600 }"#)
        let config = try load(good).get().config
        #expect(config.upstream.requestsPerMinutePerAccount == 30 && config.upstream.pacingMaxWaitSeconds == 2.5)
        #expect(config.upstream.fallbackReplicas == 3 && config.idempotency.ttlSeconds == 3600)
        for (extra, path) in [(#", "upstream": { "pacingMaxWaitSeconds": -1 }"#, "upstream.pacingMaxWaitSeconds"),
                              (#", "upstream": { "pacingMaxWaitSeconds": 301 }"#, "upstream.pacingMaxWaitSeconds"),
                              (#", "upstream": { "fallbackReplicas": 0 }"#, "upstream.fallbackReplicas"),
                              (#", "idempotency": { "ttlSeconds": 59 }"#, "idempotency.ttlSeconds"),
                              (#", "idempotency": { "ttlSeconds": 604801 }"#, "idempotency.ttlSeconds"),
                              (#", "idempotency": { "ttl": 60 }"#, "idempotency.ttl")] {
            #expect(issues(Self.document(extra: extra)).contains { $0.hasPrefix(path) }, "\(extra): \(issues(Self.document(extra: extra)))")
        }
    }

    @Test func unknownKeysAreNamedWithTheirPath() {
        let found = issues(Self.document(tenant: #""clientSecret": {"env": "S"}, "clientSecrt": 1"#, extra: #", "limits": {"maxBodyByte": 5}, "extra": true"#))
        #expect(found.contains { $0.hasPrefix("tenants[0].clientSecrt: unknown key") })
        #expect(found.contains { $0.hasPrefix("limits.maxBodyByte: unknown key") })
        #expect(found.contains { $0.hasPrefix("extra: unknown key") })
    }

    @Test func missingEnvironmentSecretIsReported() {
        let found = issues(Self.document(), env: [:])
        #expect(found == ["tenants[0].clientSecret: environment variable S is not set"])
    }

    @Test func fileSecretLosesOneTrailingNewline() throws {
        let dir = NSTemporaryDirectory() + "cfg-" + SecureRandom.hexString(byteCount: 4)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("from-file\n".utf8).write(to: URL(fileURLWithPath: dir + "/secret"))
        let loaded = try load(Self.document(tenant: #""clientSecret": {"file": "secret"}"#), dir: dir).get()
        #expect(loaded.config.tenants[0].clientSecret == Array("from-file".utf8))
    }

    @Test func inlineSecretWorksWithAWarning() throws {
        let loaded = try load(Self.document(tenant: #""clientSecret": {"value": "inline"}"#)).get()
        #expect(loaded.config.tenants[0].clientSecret == Array("inline".utf8))
        #expect(loaded.warnings.count == 1)
        #expect(!loaded.warnings[0].contains("inline\""))
    }

    @Test func everyProblemIsReportedAtOnce() {
        let text = """
        { "tenants": [ { "name": "a b", "baseURL": "ftp://x", "apiVersion": "v3", "streamId": "st/../x", "accountId": "a",
                         "clientId": "c", "clientSecret": {"env": "S", "file": "f"}, "algorithm": "none", "tokenTTLSeconds": 99999 } ],
          "clients": [ { "name": "app", "apiKeySHA256": "abc", "tenants": ["ghost"], "scopes": ["delete", "admin"] } ],
          "upstream": { "timeoutSeconds": "10" } }
        """
        let found = issues(text).joined(separator: "\n")
        for path in ["tenants[0].name", "tenants[0].baseURL", "tenants[0].apiVersion", "tenants[0].streamId", "tenants[0].clientSecret",
                     "tenants[0].algorithm", "tenants[0].tokenTTLSeconds", "clients[0].apiKeySHA256", "clients[0].tenants[0]",
                     "clients[0].scopes[1]", "upstream.timeoutSeconds"] {
            #expect(found.contains(path + ":"), "missing \(path) in\n\(found)")
        }
    }

    @Test func notJSONIsOneClearIssue() {
        #expect(issues("{ nope").first?.hasPrefix("not valid JSON") == true)
    }

    @Test func checkConfigPrintsNoSecret() async throws {
        let dir = NSTemporaryDirectory() + "cfg-" + SecureRandom.hexString(byteCount: 4)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/gateway.json"
        try Data(Self.document().utf8).write(to: URL(fileURLWithPath: path))
        let binary = try BinaryLocator.path("campaign-gateway")
        let ok = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: ["S": "topsecretvalue"]) }
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("secret=<from env S>"))
        #expect(!ok.output.contains("topsecretvalue"))
        #expect(ok.output.contains("requestsPerMinutePerAccount=60 (any 60 s window) pacingMaxWaitSeconds=0.0 fallbackReplicas=4"), "\(ok.output)")
        #expect(ok.output.contains("idempotency: ttlSeconds=86400"))
        let bad = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: [:]) }
        #expect(bad.status == 1)
        #expect(bad.output.contains("tenants[0].clientSecret"))
    }

    @Test func theDocumentationsPlaceholderIdsAreRefused() {
        let text = Self.document().replacingOccurrences(of: #""streamId": "st-1""#, with: #""streamId": "st-...""#)
            .replacingOccurrences(of: #""accountId": "a1""#, with: #""accountId": "...""#)
            .replacingOccurrences(of: #""clientId": "cs-1""#, with: #""clientId": "cs-...""#)
        let found = issues(text)
        #expect(found == ["tenants[0].streamId: st-... is the documentation's placeholder; put the Kore.ai app's value here",
                          "tenants[0].accountId: ... is the documentation's placeholder; put the Kore.ai app's value here",
                          "tenants[0].clientId: cs-... is the documentation's placeholder; put the Kore.ai app's value here"],
                "\(found)")
        // A single dot is an ordinary character of an id.
        #expect(issues(Self.document().replacingOccurrences(of: #""accountId": "a1""#, with: #""accountId": "a.1""#)).isEmpty)
    }

    @Test func withoutSecretsTheStructureIsCheckedButNoSecretOrCAFileIsRead() throws {
        let text = Self.document(tenant: #""clientSecret": {"file": "/run/secrets/nowhere"}"#,
                                 extra: #", "upstream": { "caFile": "/nonexistent/ca.pem" }"#)
        let strict = GatewayConfigLoader(environment: [:])
        #expect(throws: ConfigError.self) { try strict.parse(bytes: Array(text.utf8), baseDirectory: "/") }
        let structural = GatewayConfigLoader(environment: [:], readsSecrets: false)
        let loaded = try structural.parse(bytes: Array(text.utf8), baseDirectory: "/")
        #expect(loaded.config.tenants[0].clientSecret.isEmpty)
        #expect(loaded.config.tenants[0].secretSource == .file("/run/secrets/nowhere"))
        // Everything else is still checked: an unknown key, an empty env name, a placeholder.
        let broken = Self.document(tenant: #""clientSecret": {"env": ""}, "clientSecrt": 1"#)
            .replacingOccurrences(of: #""streamId": "st-1""#, with: #""streamId": "st-...""#)
        do {
            _ = try structural.parse(bytes: Array(broken.utf8), baseDirectory: "/")
            Issue.record("a broken document passed the structure check")
        } catch {
            let found = error.issues.map(\.description)
            #expect(found.contains { $0.hasPrefix("tenants[0].clientSecrt: unknown key") }, "\(found)")
            #expect(found.contains("tenants[0].clientSecret: env needs a variable name"), "\(found)")
            #expect(found.contains { $0.hasPrefix("tenants[0].streamId: st-... is the documentation's placeholder") }, "\(found)")
        }
    }

    @Test func checkConfigShowsProxyAndCAFileAndChecksStructureWithoutSecrets() async throws {
        let dir = NSTemporaryDirectory() + "cfg-" + SecureRandom.hexString(byteCount: 4)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/gateway.json"
        let binary = try BinaryLocator.path("campaign-gateway")
        try Data(Self.document(extra: #", "upstream": { "proxy": "http://proxy.internal:3128", "caFile": "/etc/hostname" }"#).utf8)
            .write(to: URL(fileURLWithPath: path))
        let configured = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: ["S": "x"]) }
        #expect(configured.status == 0, "\(configured.output)")
        #expect(configured.output.contains("upstream.proxy: http://proxy.internal:3128"), "\(configured.output)")
        #expect(configured.output.contains("upstream.caFile: /etc/hostname"), "\(configured.output)")

        try Data(Self.document(tenant: #""clientSecret": {"file": "/run/secrets/not-on-this-laptop"}"#).utf8)
            .write(to: URL(fileURLWithPath: path))
        let environment = ["HTTPS_PROXY": "http://egress.internal:3128", "http_proxy": "http://user:hunter2@egress.internal:3128",
                           "NO_PROXY": "localhost"]
        let strict = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: environment) }
        #expect(strict.status == 1, "\(strict.output)")
        #expect(strict.output.contains("/run/secrets/not-on-this-laptop cannot be read"), "\(strict.output)")
        let structural = try await OffPool.run {
            try BinaryLocator.run(binary, ["check-config", "--config", path, "--without-secrets"], environment: environment)
        }
        #expect(structural.status == 0, "\(structural.output)")
        #expect(structural.output.contains("secret=<from file /run/secrets/not-on-this-laptop, not read>"), "\(structural.output)")
        // Credentials in a proxy URL are used (Proxy-Authorization: Basic on CONNECT) and shown redacted.
        #expect(structural.output.contains("https:// tenants via http://egress.internal:3128, http:// tenants via http://<redacted>@egress.internal:3128, NO_PROXY localhost"), "\(structural.output)")
        #expect(structural.output.contains("upstream.caFile: none"), "\(structural.output)")
        #expect(structural.output.contains("configuration structure OK"), "\(structural.output)")
        #expect(!structural.output.contains("hunter2"), "\(structural.output)")
    }

    @Test func aReloadNamesWhatChangedAndWhatWaitsForARestart() throws {
        let before = try load(Self.document(extra: #", "listen": { "port": 8080 }, "upstream": { "timeoutSeconds": 10 }"#)).get().config
        let afterText = Self.document(extra: #", "listen": { "port": 9090 }, "upstream": { "timeoutSeconds": 2.5, "caFile": "/etc/hostname", "pacingMaxWaitSeconds": 3 }, "idempotency": { "ttlSeconds": 3600 }"#)
            .replacingOccurrences(of: #""streamId": "st-1""#, with: #""streamId": "st-2""#)
            .replacingOccurrences(of: #""scopes": ["delete"] }"#, with: #""scopes": ["delete", "read"] }, { "name": "new-app", "apiKeySHA256": "\#(Hex.encode(SHA256.hash(Array("k2".utf8))))", "tenants": ["acme"], "scopes": ["read"] }"#)
        let after = try load(afterText, env: ["S": "rotated-secret"]).get().config
        let changes = ConfigChanges(from: before, to: after, running: before)
        #expect(changes.notApplied == ["listen.port: 8080 -> 9090", "upstream.caFile: none -> /etc/hostname"], "\(changes.notApplied)")
        #expect(changes.applied == ["upstream.timeoutSeconds: 10 -> 2.5", "upstream.pacingMaxWaitSeconds: 0 -> 3",
                                    "idempotency.ttlSeconds: 86400 -> 3600", "tenants[acme].streamId: st-1 -> st-2",
                                    "tenants[acme].clientSecret: changed", "clients[app].scopes: delete -> delete,read",
                                    "clients[new-app]: added"], "\(changes.applied)")
        #expect(!(changes.applied + changes.notApplied).joined().contains("rotated-secret"))
        // The next reload compares with the configuration in force, and what still waits for a restart with the start.
        let again = ConfigChanges(from: after, to: after, running: before)
        #expect(again.applied.isEmpty && again.notApplied == changes.notApplied)
        let back = ConfigChanges(from: after, to: before, running: before)
        #expect(back.notApplied.isEmpty && back.applied.contains("clients[new-app]: removed"))
    }
}
