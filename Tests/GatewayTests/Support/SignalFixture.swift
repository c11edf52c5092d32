import Foundation
import TestSupport
import GatewayCrypto
import Glibc
import HTTPServer
import KoreSimulator
import Synchronization

/// What `SignalEndToEndTests` run against: two simulators in this process (a normal one and a slow one, each on its
/// own port), a temporary folder holding the gateway's configuration and secret files, and gateway child processes.
/// `run` tears everything down, whether the test body throws or not.
final class SignalFixture: TornDownFixture, Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let simulator: KoreSimulator
    let slowSimulator: KoreSimulator
    private let simulatorServer: HTTPServer
    private let slowServer: HTTPServer
    let simulatorPort: Int
    let slowPort: Int
    let directory: String
    private let launched = Mutex<[GatewayChildProcess]>([])
    private let loads = Mutex<[RawHTTPLoad]>([])

    init(tenants: [SimulatorTenant], slowTenants: [SimulatorTenant] = []) throws {
        // Load under signals: hundreds of calls for one account, so Kore.ai's limit is lifted.
        simulator = KoreSimulator(tenants: tenants, requestsPerMinutePerAccount: nil)
        simulatorServer = simulator.makeServer(host: "127.0.0.1", port: 0)
        slowSimulator = KoreSimulator(tenants: slowTenants, requestsPerMinutePerAccount: nil)
        slowServer = slowSimulator.makeServer(host: "127.0.0.1", port: 0)
        simulatorPort = try simulatorServer.start()
        slowPort = try slowServer.start()
        directory = NSTemporaryDirectory() + "gateway-signals-" + SecureRandom.hexString(byteCount: 6)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func tearDown() async {
        for gateway in launched.withLock({ $0 }) { gateway.killIfRunning() }
        for load in loads.withLock({ $0 }) { load.stop() }
        await simulatorServer.shutdown(graceSeconds: 1)
        await slowServer.shutdown(graceSeconds: 1)
        try? FileManager.default.removeItem(atPath: directory)
    }

    var configPath: String { directory + "/gateway.json" }

    /// A `{"file": NAME}` secret next to the configuration (one trailing newline, as Kubernetes secrets often have).
    func writeSecret(_ name: String, _ value: String) throws {
        try Data((value + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    /// Writes a temporary file and renames it over the configuration, so a reload never reads half a file.
    func writeConfigAtomically(_ text: String) throws {
        let temporary = configPath + ".tmp-" + SecureRandom.hexString(byteCount: 4)
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, configPath) == 0 else { throw Failure(description: "rename errno \(errno)") }
    }

    /// A load client whose engine thread ends at tear-down.
    func load(port: Int) -> RawHTTPLoad {
        let load = RawHTTPLoad(port: port)
        loads.withLock { $0.append(load) }
        return load
    }

    /// Starts `campaign-gateway serve` on a free port with `config(port)` and waits for `/readyz` 200. A port taken
    /// between choosing and binding it (`listen_failed`) is retried with another.
    func launchGateway(_ config: (Int) throws -> String) async throws -> GatewayChildProcess {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try FreePort.find()
            try writeConfigAtomically(try config(port))
            let gateway = try GatewayChildProcess(configPath: configPath, port: port)
            launched.withLock { $0.append(gateway) }
            let probe = load(port: port)
            defer { probe.stop() }
            do {
                try await gateway.waitUntilReady(using: probe)
                return gateway
            } catch {
                gateway.killIfRunning()
                if gateway.events("listen_failed").isEmpty { throw error }
                lastError = error
            }
        }
        throw lastError ?? Failure(description: "no port")
    }

    /// A gateway configuration: tenant `v1` on the simulator (secret from the file `v1Secret`), with `slow` also
    /// tenant `slow` (v2) on the slow simulator; each client may use every tenant with delete and update scopes.
    func config(port: Int, v1Secret: String, clients: [(name: String, key: String)], grace: Double = 10,
                slow: Bool = false, extra: String = "") -> String {
        var tenants = [
            #"{ "name": "v1", "baseURL": "http://127.0.0.1:\#(simulatorPort)", "apiVersion": "v1", "streamId": "st-signal-v1", "accountId": "acct-signal-1", "clientId": "cs-signal-v1", "clientSecret": { "file": "\#(v1Secret)" } }"#,
        ]
        if slow {
            tenants.append(#"{ "name": "slow", "baseURL": "http://127.0.0.1:\#(slowPort)", "apiVersion": "v2", "streamId": "st-signal-slow", "accountId": "acct-signal-2", "clientId": "cs-signal-slow", "clientSecret": { "file": "slow.secret" } }"#)
        }
        let tenantNames = slow ? #"["v1", "slow"]"# : #"["v1"]"#
        let clientEntries = clients.map { client in
            let hash = Hex.encode(SHA256.hash(Array(client.key.utf8)))
            return #"{ "name": "\#(client.name)", "apiKeySHA256": "\#(hash)", "tenants": \#(tenantNames), "scopes": ["delete", "update"] }"#
        }
        return """
        {
          "listen": { "host": "127.0.0.1", "port": \(port) },
          "tenants": [
            \(tenants.joined(separator: ",\n    "))
          ],
          "clients": [
            \(clientEntries.joined(separator: ",\n    "))
          ],
          "upstream": { "timeoutSeconds": 10, "maxRetries": 0, "requestsPerMinutePerAccount": 1000000 },
          \(extra)
          "shutdownGraceSeconds": \(grace)
        }
        """
    }
}
