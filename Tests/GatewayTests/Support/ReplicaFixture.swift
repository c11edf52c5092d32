import Foundation
import GatewayCrypto
import Glibc
import HTTPServer
import KoreSimulator
import Synchronization
import TestSupport

/// Several `campaign-gateway serve` processes (the real binary) against one Kore.ai simulator and, when given, one
/// Redis: what an operator runs behind a Service. The simulator enforces Kore.ai's limit at `limit` calls per account
/// in any 60 s, the same limit the gateways are given, so a budget the replicas overstep shows up as its 429. Each
/// tenant is its own Kore.ai account (a stream id and account id of its own), so the scenarios of one test do not
/// share a budget. `run` tears everything down, whether the body throws or not.
final class ReplicaFixture: TornDownFixture, Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A Kore.ai account as the simulator and the gateways know it.
    struct Account: Sendable {
        var tenant: String
        var streamId: String { "st-replica-\(tenant)" }
        var accountId: String { "acct-replica-\(tenant)" }
        var clientId: String { "cs-replica-\(tenant)" }
        var secret: String { "secret-of-\(tenant)" }
    }

    static let apiKey = "cgw_replica_test_key"
    let limit: Int
    let accounts: [Account]
    let simulator: KoreSimulator
    private let simulatorServer: HTTPServer
    let simulatorPort: Int
    let directory: String
    private let launched = Mutex<[GatewayChildProcess]>([])
    private let loads = Mutex<[RawHTTPLoad]>([])

    init(tenants: [String], limit: Int = 10) throws {
        self.limit = limit
        accounts = tenants.map(Account.init(tenant:))
        simulator = KoreSimulator(tenants: accounts.map {
            SimulatorTenant(streamId: $0.streamId, accountId: $0.accountId, clientId: $0.clientId, secret: Array($0.secret.utf8),
                            enforceJti: false)
        }, requestsPerMinutePerAccount: limit)
        simulatorServer = simulator.makeServer(host: "127.0.0.1", port: 0)
        simulatorPort = try simulatorServer.start()
        directory = try Tools.temporaryDirectory("replicas")
        for account in accounts {
            try Data((account.secret + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/\(account.tenant).secret"))
        }
    }

    func tearDown() async {
        for gateway in launched.withLock({ $0 }) { gateway.killIfRunning() }
        for gateway in launched.withLock({ $0 }) { _ = await gateway.waitForExit(timeoutSeconds: 10) }
        for load in loads.withLock({ $0 }) { load.stop() }
        await simulatorServer.shutdown(graceSeconds: 1)
        try? FileManager.default.removeItem(atPath: directory)
    }

    func writeFile(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    /// Writes a temporary file and renames it over `name`, so a reload never reads half a file.
    func replaceFile(_ name: String, _ text: String) throws {
        let temporary = directory + "/" + name + ".tmp-" + SecureRandom.hexString(byteCount: 4)
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, directory + "/" + name) == 0 else { throw Failure(description: "rename errno \(errno)") }
    }

    /// One gateway process: its load client and the name of its configuration file.
    struct Replica: Sendable {
        let process: GatewayChildProcess
        let load: RawHTTPLoad
        let configName: String
    }

    /// Starts `campaign-gateway serve` on a free port with `config(port)` written to `name`, and waits for `/readyz`
    /// 200. A port taken between choosing and binding it (`listen_failed`) is retried with another.
    func launch(_ name: String, _ config: @escaping @Sendable (Int) -> String) async throws -> Replica {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try FreePort.find()
            try replaceFile(name, config(port))
            let gateway = try GatewayChildProcess(configPath: directory + "/" + name, port: port)
            launched.withLock { $0.append(gateway) }
            let load = RawHTTPLoad(port: port)
            loads.withLock { $0.append(load) }
            do {
                try await gateway.waitUntilReady(using: load)
                return Replica(process: gateway, load: load, configName: name)
            } catch {
                gateway.killIfRunning()
                if gateway.events("listen_failed").isEmpty { throw error }
                lastError = error
            }
        }
        throw lastError ?? Failure(description: "no port")
    }

    /// A gateway configuration with every account as a v1 tenant, one client allowed everything, the fixture's limit
    /// and `redis` (a JSON object, or nil for none).
    func config(port: Int, redis: String?, fallbackReplicas: Int = 4, upstreamTimeoutSeconds: Double = 5) -> String {
        let tenants = accounts.map { account in
            #"{ "name": "\#(account.tenant)", "baseURL": "http://127.0.0.1:\#(simulatorPort)", "apiVersion": "v1", "streamId": "\#(account.streamId)", "accountId": "\#(account.accountId)", "clientId": "\#(account.clientId)", "clientSecret": { "file": "\#(account.tenant).secret" } }"#
        }
        let hash = Hex.encode(SHA256.hash(Array(Self.apiKey.utf8)))
        let names = accounts.map { #""\#($0.tenant)""# }.joined(separator: ", ")
        return """
        {
          "listen": { "host": "127.0.0.1", "port": \(port) },
          "tenants": [ \(tenants.joined(separator: ",\n    ")) ],
          "clients": [ { "name": "app", "apiKeySHA256": "\(hash)", "tenants": [\(names)], "scopes": ["read", "delete", "update", "create", "control"] } ],
          "upstream": { "timeoutSeconds": \(upstreamTimeoutSeconds), "maxRetries": 0, "requestsPerMinutePerAccount": \(limit), "fallbackReplicas": \(fallbackReplicas) },
          \(redis.map { #""redis": \#($0),"# } ?? "")
          "shutdownGraceSeconds": 1
        }
        """
    }

    /// A read of a seed campaign: one call to Kore.ai.
    static func read(_ tenant: String) -> [UInt8] {
        RawHTTPLoad.get("/campaigns/voice/\(Samples.v1VoiceUpdate)", headers: ["Authorization": "Bearer \(apiKey)", "X-Tenant": tenant])
    }

    /// A delete of a seed campaign with an `Idempotency-Key`: one call to Kore.ai, unless answered from the record.
    static func delete(_ tenant: String, idempotencyKey: String) -> [UInt8] {
        RawHTTPLoad.request("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)",
                            headers: ["Authorization": "Bearer \(apiKey)", "X-Tenant": tenant, "Idempotency-Key": idempotencyKey],
                            body: nil)
    }

    /// The campaign API calls the simulator received for `account` (the control routes are not recorded).
    func calls(_ account: Account) -> [SimulatedCall] {
        simulator.calls.filter { $0.path.contains("/\(account.streamId)/") }
    }

    /// The most calls the simulator received for `account` in any `seconds`-long window (its own clock).
    func mostCallsInAnyWindow(_ account: Account, seconds: Double = 60) -> Int {
        let times = calls(account).map(\.receivedAt).sorted()
        var most = 0
        var start = 0
        for end in times.indices {
            while times[end] - times[start] >= seconds { start += 1 }
            most = max(most, end - start + 1)
        }
        return most
    }

    func account(_ tenant: String) -> Account {
        accounts.first { $0.tenant == tenant } ?? Account(tenant: tenant)
    }

    /// `GET /readyz`'s status and its body's `sharedState` object, values as text.
    static func readiness(_ replica: Replica) async -> (status: Int?, sharedState: [String: String], body: String) {
        let answer = await replica.load.exchange(RawHTTPLoad.get("/readyz"))
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any]
        let shared = (object?["sharedState"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        return (answer.status, shared, answer.body)
    }

    /// Polls `/readyz` until its shared state is `state`; false, with the last body seen, after `seconds`. Polls
    /// on a thread of its own, so the deadline is the gateway's time, not the shared pool's.
    static func waitForSharedState(_ replica: Replica, _ state: String, seconds: Double = 20) async -> (reached: Bool, lastBody: String) {
        (try? await OwnThread.run { _ in
            let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            var last = ""
            while ContinuousClock.now < end {
                let seen = await readiness(replica)
                last = seen.body
                if seen.sharedState["state"] == state { return (true, last) }
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
            return (false, last)
        }) ?? (false, "")
    }

    /// A metric's value from `/metrics` (first sample with that exact name and no labels).
    static func metric(_ replica: Replica, _ name: String) async -> Double? {
        let text = await replica.load.exchange(RawHTTPLoad.get("/metrics")).body
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }
}
