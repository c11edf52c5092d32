import GatewayConfiguration
import Glibc
import HTTPServer
import KoreSimulator
import Transport

/// `kore-sim --port N [--host H] [--config PATH]`: the simulator on its own. With a gateway configuration file, it
/// simulates those tenants (same secrets); without one, the demo tenants.
enum SimulatorCommandLine {
    static let usage = """
    kore-sim: a stand-in for Kore.ai's campaign API (v1 and v2 URL schemes), for local development and tests.

    USAGE
      kore-sim [--host H] [--port N] [--config PATH] [--requests-per-minute N | --no-rate-limit]

    Like Kore.ai, it answers 429 past 60 calls per account in any 60 seconds; --requests-per-minute changes that
    limit, --no-rate-limit lifts it (load tests).
    Control: POST /__sim/faults, DELETE /__sim/faults, POST /__sim/reset, GET /__sim/calls, GET /__sim/health

    """

    static func run(_ args: [String], environment: [String: String]) async -> Int32 {
        if args.contains("--help") || args.contains("-h") {
            print(usage, terminator: "")
            return 0
        }
        let port = ProcessEnvironment.option("--port", in: args).flatMap(Int.init) ?? 9090
        var rateLimit: Int? = KoreSimulator.koreRequestsPerMinutePerAccount
        if let text = ProcessEnvironment.option("--requests-per-minute", in: args) {
            guard let value = Int(text), value >= 1 else {
                ProcessEnvironment.printError("kore-sim: --requests-per-minute takes a whole number of at least 1")
                return 2
            }
            rateLimit = value
        }
        if args.contains("--no-rate-limit") { rateLimit = nil }
        let host = ProcessEnvironment.option("--host", in: args) ?? "127.0.0.1"
        var tenants = KoreSimulator.demoTenants
        if let path = ProcessEnvironment.option("--config", in: args) {
            do {
                // The tenants and their secrets only: a gateway file's Redis password is not the simulator's to read.
                let loaded = try GatewayConfigLoader(environment: environment, readsRedisSecrets: false).load(path: path)
                tenants = loaded.config.tenants.map {
                    SimulatorTenant(streamId: $0.streamId, accountId: $0.accountId, clientId: $0.clientId,
                                    secret: $0.clientSecret, enforceJti: $0.enforceJti)
                }
            } catch {
                ProcessEnvironment.printError("kore-sim: configuration \(path) is invalid:\n" + error.issues.map { "  - \($0)" }.joined(separator: "\n"))
                return 1
            }
        }
        // Before anything listens, so a SIGTERM that arrives while starting is queued, not fatal.
        let signals = SignalWaiter(signals: [SIGTERM, SIGINT])
        let simulator = KoreSimulator(tenants: tenants, requestsPerMinutePerAccount: rateLimit)
        let server = simulator.makeServer(host: host, port: port)
        let bound: Int
        do {
            bound = try server.start()
        } catch {
            ProcessEnvironment.printError("kore-sim: cannot listen on \(host):\(port): \(error)")
            return 1
        }
        let limitText = rateLimit.map { "\($0) calls per account in any 60 s" } ?? "no rate limit"
        print("kore-sim listening on http://\(host):\(bound) with \(tenants.count) tenant(s): \(tenants.map(\.streamId).joined(separator: ", ")); \(limitText)")
        fflush(nil)
        _ = await signals.next()
        await server.shutdown(graceSeconds: 2)
        return 0
    }
}
