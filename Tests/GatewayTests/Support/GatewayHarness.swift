import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Gateway
import GatewayCrypto
import HTTPServer
import KoreSimulator
import Synchronization
import GatewayConfiguration

/// A real gateway and a real simulator on loopback sockets, wired by a configuration file the real loader reads.
final class GatewayHarness: Sendable {
    static let apiKeys: [String: String] = [
        "all": "test-key-all-scopes-0001",       // both tenants, every scope
        "v1only": "test-key-v1-only-0002",        // bound to tenant v1 only, every scope
        "readonly": "test-key-read-only-0003",   // v1, read scope only
        "jti": "test-key-jti-tenant-0004",       // the enforceJti tenant
        "second": "test-key-second-app-0005",    // a second app on both tenants (lost-update tests)
    ]

    static let v1Sim = SimulatorTenant(streamId: "st-test-v1", accountId: "acct-test-1", clientId: "cs-test-v1",
                                       secret: Array("secret-v1-for-tests-only".utf8), enforceJti: false)
    static let v2Sim = SimulatorTenant(streamId: "st-test-v2", accountId: "acct-test-2", clientId: "cs-test-v2",
                                       secret: Array("secret-v2-for-tests-only".utf8), enforceJti: false)
    static let jtiSim = SimulatorTenant(streamId: "st-test-jti", accountId: "acct-test-3", clientId: "cs-test-jti",
                                        secret: Array("secret-jti-for-tests-only".utf8), enforceJti: true)

    let simulator: KoreSimulator
    let simulatorServer: HTTPServer
    let runtime: GatewayRuntime
    let port: Int
    let logLines: LogCapture
    let directory: String

    struct Options {
        var timeoutSeconds = 2.0
        var maxRetries = 2
        var requestsPerMinute = 100_000
        /// Point every tenant at this base URL instead of the simulator (for "upstream down").
        var baseURLOverride: String?
        /// Writes `audit.jsonl` in the harness's folder (a relative path: relative to the config file).
        var audit = false
        /// `limits.bodyTimeoutSeconds`; nil keeps the default.
        var bodyTimeoutSeconds: Double?
        /// The audit log at this path instead (an absolute path such as `/dev/full`); implies `audit`.
        var auditPath: String?
        /// Replaces the audit writer's fsync (to slow or hold it).
        var auditFlush: (@Sendable (Int32) -> Bool)?
        /// The gateway's log sink instead of the in-memory capture (`logLines` then stays empty).
        var logs: LogSink?
        /// Given the simulator's port, the base URL every tenant uses (a TLS front started by the test, say).
        var baseURLForSimulator: ((Int) throws -> String)?
        /// More members of the `upstream` object, each starting with a comma (`, "caFile": "..."`).
        var upstreamExtra = ""
        /// More top-level members, each starting with a comma (`, "apiPage": { "enabled": true }`).
        var configExtra = ""
    }

    init(_ options: Options = Options()) throws {
        simulator = KoreSimulator(tenants: [Self.v1Sim, Self.v2Sim, Self.jtiSim])
        simulatorServer = simulator.makeServer(host: "127.0.0.1", port: 0)
        let simPort = try simulatorServer.start()
        directory = NSTemporaryDirectory() + "gateway-test-" + SecureRandom.hexString(byteCount: 6)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(Self.jtiSim.secret + [0x0A]).write(to: URL(fileURLWithPath: directory + "/jti.secret"))
        let baseURL = try options.baseURLOverride ?? options.baseURLForSimulator?(simPort) ?? "http://127.0.0.1:\(simPort)"
        func hash(_ key: String) -> String { Hex.encode(SHA256.hash(Array(key.utf8))) }
        let auditPath = options.auditPath ?? (options.audit ? "audit.jsonl" : nil)
        let auditMember = auditPath.map { #", "audit": { "path": "\#($0)", "fsync": true }"# } ?? ""
        let config = """
        {
          "listen": { "host": "127.0.0.1", "port": 0 },
          "tenants": [
            { "name": "v1", "baseURL": "\(baseURL)", "apiVersion": "v1", "streamId": "st-test-v1", "accountId": "acct-test-1",
              "clientId": "cs-test-v1", "clientSecret": { "env": "TEST_V1_SECRET" } },
            { "name": "v2", "baseURL": "\(baseURL)", "apiVersion": "v2", "streamId": "st-test-v2", "accountId": "acct-test-2",
              "clientId": "cs-test-v2", "clientSecret": { "value": "secret-v2-for-tests-only" }, "algorithm": "HS512" },
            { "name": "jti", "baseURL": "\(baseURL)", "apiVersion": "v2", "streamId": "st-test-jti", "accountId": "acct-test-3",
              "clientId": "cs-test-jti", "clientSecret": { "file": "jti.secret" }, "enforceJti": true }
          ],
          "clients": [
            { "name": "all-app", "apiKeySHA256": "\(hash(Self.apiKeys["all"]!))", "tenants": ["v1", "v2"], "scopes": ["read", "delete", "update", "create", "control"] },
            { "name": "second-app", "apiKeySHA256": "\(hash(Self.apiKeys["second"]!))", "tenants": ["v1", "v2"], "scopes": ["read", "update", "control"] },
            { "name": "v1-app", "apiKeySHA256": "\(hash(Self.apiKeys["v1only"]!))", "tenants": ["v1"], "scopes": ["delete", "update"] },
            { "name": "reader", "apiKeySHA256": "\(hash(Self.apiKeys["readonly"]!))", "tenants": ["v1"], "scopes": ["read"] },
            { "name": "jti-app", "apiKeySHA256": "\(hash(Self.apiKeys["jti"]!))", "tenants": ["jti"], "scopes": ["delete", "update"] }
          ],
          "upstream": { "timeoutSeconds": \(options.timeoutSeconds), "maxRetries": \(options.maxRetries), "requestsPerMinutePerAccount": \(options.requestsPerMinute)\(options.upstreamExtra) },
          "limits": { "maxBodyBytes": 65536\(options.bodyTimeoutSeconds.map { #", "bodyTimeoutSeconds": \#($0)"# } ?? "") }\(auditMember)\(options.configExtra)
        }
        """
        let path = directory + "/gateway.json"
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        let loader = GatewayConfigLoader(environment: ["TEST_V1_SECRET": "secret-v1-for-tests-only"])
        let loaded = try loader.load(path: path)
        let lines = LogCapture()
        logLines = lines
        let logs = options.logs ?? LogSink(minimumLevel: .debug) { bytes in lines.append(String(decoding: bytes, as: UTF8.self)) }
        let audit = options.auditFlush.map { AuditLog(flush: $0) } ?? AuditLog()
        runtime = GatewayRuntime(config: loaded.config, configPath: path, logs: logs, loader: loader, audit: audit)
        port = try runtime.start()
    }

    func stop() async {
        await runtime.server.shutdown(graceSeconds: 1)
        await simulatorServer.shutdown(graceSeconds: 1)
        try? FileManager.default.removeItem(atPath: directory)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var text: String { String(decoding: body, as: UTF8.self) }
        var code: String? { json?["code"] as? String }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// A real HTTP request over loopback with URLSession.
    func send(_ method: String, _ path: String, key: String? = GatewayHarness.apiKeys["all"], tenant: String? = nil,
              headers: [String: String] = [:], body: Data? = nil, contentType: String? = "application/json") async throws -> Reply {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let tenant { request.setValue(tenant, forHTTPHeaderField: "X-Tenant") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let body {
            request.httpBody = body
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var lowered: [String: String] = [:]
        for (k, v) in http.allHeaderFields {
            if let k = k as? String, let v = v as? String { lowered[k.lowercased()] = v }
        }
        return Reply(status: http.statusCode, headers: lowered, body: data)
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 20
        return URLSession(configuration: configuration)
    }()
}

/// Every log line the gateway wrote during a test.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined() } }
}
