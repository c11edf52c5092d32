import Dispatch
import Transport
import Glibc
import HTTPClient
import HTTPServer
import JSONCore
import RedisClient
import GatewayConfiguration

/// A running gateway: the HTTP server, the handler with its current configuration, and the operator's signals
/// (SIGHUP reloads, SIGTERM/SIGINT drain and stop).
public final class GatewayRuntime: Sendable {
    public let handler: GatewayHandler
    public let server: HTTPServer
    private let configPath: String?
    private let loader: GatewayConfigLoader
    private let transport: any UpstreamTransport
    private let grace: Double
    /// What the server was started with: listen, limits and the grace period cannot change without a restart.
    private let startConfig: GatewayConfig
    /// Why the egress proxy settings cannot be used, if so: `start` refuses to serve rather than connect around it.
    private let proxyProblem: ConfigError?
    /// Why the `redis` block cannot be used (a URL the client refuses), if so: `start` refuses to serve rather than
    /// pace each replica alone at the whole budget.
    private let sharedStateProblem: ConfigError?

    /// `transport` nil: the project's HTTP client from the `upstream` section (CA file, body cap) and the egress
    /// proxy (`upstream.proxy` or the loader's environment); those take effect at start, not on reload. `audit` is
    /// where the audit trail goes once `config.audit` names a file (tests pass one with a slowed flush).
    /// `additionalRoutes` are served beside the operational routes (the demo's reset).
    public init(config: GatewayConfig, configPath: String?, transport: (any UpstreamTransport)? = nil,
                logs: LogSink, loader: GatewayConfigLoader = GatewayConfigLoader(), audit: AuditLog = AuditLog(),
                additionalRoutes: [AdditionalRoute] = []) {
        var proxyProblem: ConfigError?
        let proxy: ProxySettings
        switch EgressProxy.settings(configured: config.upstream.proxy, environment: loader.environment) {
        case .success(let settings): proxy = settings
        case .failure(let error):
            proxyProblem = error
            proxy = .none
        }
        self.proxyProblem = transport == nil ? proxyProblem : nil
        let transport = transport ?? EventLoopHTTPTransport(upstream: config.upstream, proxy: proxy)
        let observer = GatewayObserver(logs: logs)
        let sharedState: SharedStateBackend
        switch SharedStateBackend.make(for: config, observer: observer) {
        case .success(let backend):
            sharedState = backend
            sharedStateProblem = nil
        case .failure(let problem):
            sharedState = SharedStateBackend()
            sharedStateProblem = problem
        }
        handler = GatewayHandler(state: GatewayState(config: config, transport: transport, observer: observer, sharedState: sharedState),
                                 observer: observer, audit: audit, additionalRoutes: additionalRoutes)
        var serverConfiguration = HTTPServerConfiguration(
            host: config.listen.host, port: config.listen.port,
            maxHeaderBytes: config.limits.maxHeaderBytes, maxBodyBytes: config.limits.maxBodyBytes,
            headerTimeoutSeconds: config.limits.headerTimeoutSeconds, bodyTimeoutSeconds: config.limits.bodyTimeoutSeconds, idleTimeoutSeconds: config.limits.idleTimeoutSeconds,
            maxConnections: config.limits.maxConnections,
            eventLoopCount: max(1, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 8)))
        // The handler never blocks (the upstream call is awaited, not waited for), so it runs on its connection's loop:
        // no hop to the global pool per request, and no stall when something else in the process hogs that pool.
        serverConfiguration.runsHandlersOnEventLoop = true
        if let problem = handler.audit.configure(config.audit) {
            logs.event(.error, "audit_unavailable", problem)
        }
        Self.prepareTLS(for: config, transport: transport, logs: handler.observer.logs)
        server = HTTPServer(configuration: serverConfiguration, handler: handler, errorResponder: GatewayHandler.rejectionResponse)
        handler.setServerGauges { [server] in
            ServerGauges(openConnections: server.openConnectionCount, maxConnections: server.maxConnections,
                         inFlight: server.inFlightRequestCount)
        }
        self.configPath = configPath
        self.loader = loader
        self.transport = transport
        grace = config.shutdownGraceSeconds
        startConfig = config
    }

    public var logs: LogSink { handler.observer.logs }

    /// Makes the upstream client's TLS context now, off the event loops, when a tenant is https (otherwise the
    /// first https call would decode the trust store on its loop); a configuration without one never pays for it.
    /// https tenants answer upstream_unavailable until a problem here is fixed: say why, at start and at a reload.
    private static func prepareTLS(for config: GatewayConfig, transport: any UpstreamTransport, logs: LogSink) {
        guard let client = (transport as? EventLoopHTTPTransport)?.client,
              config.tenants.contains(where: { $0.baseURL.lowercased().hasPrefix("https:") }) else { return }
        if let problem = client.prepareTLS() { logs.event(.error, "tls_unavailable", problem) }
    }

    /// Binds and serves; returns the bound port.
    public func start() throws -> Int {
        if let proxyProblem { throw proxyProblem }
        if let sharedStateProblem { throw sharedStateProblem }
        if let audit = handler.state.config.audit, !handler.audit.isEnabled {
            // The operator asked for an audit trail: serving writes without one would break that promise.
            throw AuditUnavailable(path: audit.path)
        }
        let port = try server.start()
        let config = handler.state.config
        logs.event(.info, "started", "campaign-gateway is serving",
                   [("host", .string(config.listen.host)), ("port", .int(port)), ("tenants", .int(config.tenants.count)),
                    ("clients", .int(config.clients.count)), ("version", .string(GatewayVersion.current)),
                    ("sharedState", handler.state.sharedState.readinessJSON)])
        startSharedState(handler.state.sharedState)
        return port
    }

    /// Re-reads the configuration file; keeps the old configuration when the new one is invalid.
    @discardableResult
    public func reload() -> Bool {
        guard let configPath else {
            logs.event(.warn, "reload_skipped", "no configuration file to reload (demo mode)")
            return false
        }
        do throws(ConfigError) {
            let loaded = try loader.load(path: configPath)
            // A file `check-config` would refuse is refused here too, although the proxy takes effect at the next start.
            if let problem = RedisSettings.gatewayIssues(loaded.config, environment: loader.environment) { throw problem }
            // Reopen first, so a rotated audit file (logrotate's move + SIGHUP) gets a fresh one at the configured
            // path; a configuration whose audit log cannot be opened is refused like any invalid one.
            if let problem = handler.audit.configure(loaded.config.audit) {
                logs.event(.error, "reload_refused", "the new configuration's audit log cannot be opened; the old configuration stays",
                           [("issues", .array([.string(problem)]))])
                return false
            }
            let changes = ConfigChanges(from: handler.state.config, to: loaded.config, running: startConfig)
            let (sharedState, retired) = try handler.state.sharedState.next(for: loaded.config, observer: handler.observer).get()
            handler.replaceState(GatewayState(config: loaded.config, transport: transport, observer: handler.observer,
                                              previous: handler.state, sharedState: sharedState))
            if let retired {
                retire(retired, graceSeconds: loaded.config.upstream.timeoutSeconds + loaded.config.upstream.pacingMaxWaitSeconds)
                startSharedState(sharedState)
            }
            Self.prepareTLS(for: loaded.config, transport: transport, logs: logs)
            for warning in loaded.warnings { logs.event(.warn, "config_warning", warning) }
            if !changes.notApplied.isEmpty {
                // Said at every reload until the restart: the file and the running process disagree on these.
                logs.event(.warn, "restart_required", "these changes are not applied: they take effect at the next start",
                           [("notApplied", .array(changes.notApplied.map(JSONValue.string)))])
            }
            logs.event(.info, "reloaded", "configuration reloaded",
                       [("tenants", .int(loaded.config.tenants.count)), ("changed", .array(changes.applied.map(JSONValue.string))),
                        ("notApplied", .array(changes.notApplied.map(JSONValue.string)))])
            return true
        } catch {
            logs.event(.error, "reload_refused", "the new configuration is invalid; the old one stays",
                       [("issues", .array(error.issues.map { .string($0.description) }))])
            return false
        }
    }

    /// SIGTERM: readiness fails, the listener closes, in-flight requests finish within the grace period.
    public func drainAndStop() async {
        handler.beginDraining()
        logs.event(.info, "draining", "shutting down", [("graceSeconds", .number(String(grace)))])
        await server.shutdown(graceSeconds: grace)
        await handler.state.sharedState.shutdown()
        logs.event(.info, "stopped", "campaign-gateway stopped")
    }

    /// At start, and when a reload brings a new `redis` block: the link's first contact and its watch (so `/readyz`
    /// says up or fallback before any traffic), and the eviction check: Redis must not evict the pacing logs or the
    /// idempotency records, so a `maxmemory-policy` other than `noeviction`, or one that cannot be read, is a
    /// warning. All in the background: a Redis that does not answer must not hold the start.
    private func startSharedState(_ backend: SharedStateBackend) {
        guard let link = backend.link else { return }
        link.start()
        let logs = self.logs
        Task {
            let check = await link.checkEviction()
            if check.isSafe {
                logs.event(.info, "redis_eviction_policy", check.message, [("redis", .string("\(link.client.configuration.endpoint)"))])
            } else {
                logs.event(.warn, "redis_eviction_policy", check.message, [("redis", .string("\(link.client.configuration.endpoint)"))])
            }
        }
    }

    /// A backend a reload replaced: requests that started before the reload still hold it, so its connections are
    /// closed once they are done (the upstream timeout and the longest pacing wait), not under them.
    private func retire(_ backend: SharedStateBackend, graceSeconds: Double) {
        guard backend.link != nil else { return }
        Task {
            _ = await AccountPacer.taskSleep(max(1, graceSeconds))
            await backend.shutdown()
        }
    }

    /// The signals `runUntilTerminated` acts on.
    public static let handledSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Serves until SIGTERM or SIGINT; SIGHUP reloads. Returns when drained.
    public func runUntilTerminated() async {
        await runUntilTerminated(signals: SignalWaiter(signals: Self.handledSignals))
    }

    /// The same with a waiter made as `serve` begins: a signal that arrives while the configuration loads or the
    /// listener opens is queued there and handled once serving, instead of killing the process by its default action
    /// (status 129 for SIGHUP). Signals during the process's own boot, before `serve` runs, still have that default.
    public func runUntilTerminated(signals: SignalWaiter) async {
        while true {
            let signal = await signals.next()
            if signal == SIGHUP {
                reload()
                continue
            }
            await drainAndStop()
            return
        }
    }
}

struct AuditUnavailable: Error, CustomStringConvertible {
    var path: String
    var description: String { "the audit log \(path) cannot be opened for appending" }
}

/// The version `--version` prints.
public enum GatewayVersion {
    public static let current = "0.1.0"
}
