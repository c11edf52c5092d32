import GatewayCrypto
import HTTPServer
import GatewayConfiguration
import JSONCore
import Transport
import Glibc

/// `campaign-gateway`'s command line. Returns the process exit code; never traps on bad input.
public enum GatewayCommandLine {
    public static let usage = """
    campaign-gateway \(GatewayVersion.current): one stable API for Kore.ai voice and SMS campaigns.

    USAGE
      campaign-gateway                         the embedded demo (in-process Kore.ai simulator), unless GATEWAY_CONFIG is set
      campaign-gateway demo [--host H] [--port N]
      campaign-gateway serve --config PATH     serve with a configuration file (GATEWAY_CONFIG=PATH works too)
      campaign-gateway check-config --config PATH [--without-secrets | --ping-redis]
                                               validate everything and print a redacted summary; exit 0 or 1
                                               (--without-secrets: the structure only, secret and CA files not read;
                                               --ping-redis: also connect to the redis block's server, AUTH, PING and
                                               read its eviction policy)
      campaign-gateway hash-key [KEY]          a new random API key and its SHA-256, or the SHA-256 of KEY
      campaign-gateway healthcheck [--url URL] GET /healthz (default http://127.0.0.1:8080/healthz); exit 0 or 1
      campaign-gateway reload [--pid N]        send SIGHUP to the gateway (default PID 1, as in the container image)
      campaign-gateway sleep SECONDS           wait, then exit 0 (a Kubernetes preStop hook: the image has no sleep)
      campaign-gateway --help | --version

    SIGHUP reloads the configuration file; SIGTERM drains in-flight requests and exits 0.

    """

    /// What `campaign-gateway demo` (and no arguments without `GATEWAY_CONFIG`) runs: the demo lives outside this
    /// library, so the executable passes it in; nil means this build has no demo.
    public typealias DemoRunner = @Sendable (_ host: String, _ port: Int) async -> Int32

    public static func run(_ arguments: [String], environment: [String: String] = ProcessEnvironment.current(),
                           demo: DemoRunner? = nil) async -> Int32 {
        var args = arguments
        let command = args.isEmpty ? (environment["GATEWAY_CONFIG"] != nil ? "serve" : "demo") : args.removeFirst()
        switch command {
        case "--help", "-h", "help":
            print(usage, terminator: "")
            return 0
        case "--version", "version":
            print("campaign-gateway \(GatewayVersion.current)")
            return 0
        case "hash-key":
            return hashKey(args)
        case "check-config":
            guard let path = ProcessEnvironment.option("--config", in: args) ?? environment["GATEWAY_CONFIG"] else { return usageError("check-config needs --config PATH") }
            let readsSecrets = !args.contains("--without-secrets")
            if args.contains("--ping-redis") && !readsSecrets { return usageError("--ping-redis needs the secrets: leave out --without-secrets") }
            return await checkConfig(path: path, environment: environment, readsSecrets: readsSecrets, pingsRedis: args.contains("--ping-redis"))
        case "serve":
            guard let path = ProcessEnvironment.option("--config", in: args) ?? environment["GATEWAY_CONFIG"] else { return usageError("serve needs --config PATH or GATEWAY_CONFIG") }
            return await serve(path: path, environment: environment)
        case "demo":
            let port = ProcessEnvironment.option("--port", in: args).flatMap(Int.init) ?? environment["PORT"].flatMap(Int.init) ?? 8080
            let host = ProcessEnvironment.option("--host", in: args) ?? environment["HOST"] ?? "127.0.0.1"
            guard let demo else { return usageError("this build has no demo; use serve --config PATH") }
            return await demo(host, port)
        case "sleep":
            guard let text = args.first, let seconds = Double(text), seconds.isFinite, (0...300).contains(seconds) else {
                return usageError("sleep needs SECONDS from 0 to 300")
            }
            var wait = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
            var left = timespec()
            while nanosleep(&wait, &left) != 0 && errno == EINTR { wait = left }
            return 0
        case "reload":
            return reload(pid: ProcessEnvironment.option("--pid", in: args))
        case "healthcheck":
            return healthcheck(url: ProcessEnvironment.option("--url", in: args) ?? "http://127.0.0.1:8080/healthz")
        default:
            return usageError("unknown command \(command)")
        }
    }

    static func usageError(_ message: String) -> Int32 {
        printError("campaign-gateway: \(message)\nRun campaign-gateway --help for usage.")
        return 2
    }

    public static func printError(_ message: String) {
        ProcessEnvironment.printError(message)
    }

    static func hashKey(_ args: [String]) -> Int32 {
        if let key = args.first {
            print(Hex.encode(SHA256.hash(Array(key.utf8))))
        } else {
            // A secret: straight from the kernel, not from the identifiers' pool.
            let key = "cgw_" + Hex.encode(SecureRandom.bytes(24))
            print("key:    \(key)\nsha256: \(Hex.encode(SHA256.hash(Array(key.utf8))))")
            print("Give the key to the calling app; put only the sha256 in the configuration (clients[].apiKeySHA256).")
        }
        return 0
    }

    static func checkConfig(path: String, environment: [String: String], readsSecrets: Bool, pingsRedis: Bool = false) async -> Int32 {
        let loaded: GatewayConfigLoader.Loaded
        do throws(ConfigError) {
            loaded = try GatewayConfigLoader(environment: environment, readsSecrets: readsSecrets).load(path: path)
            if let problem = RedisSettings.gatewayIssues(loaded.config, environment: environment) { throw problem }
            let proxy = try EgressProxy.settings(configured: loaded.config.upstream.proxy, environment: environment).get()
            print(ConfigSummary.render(loaded.config, proxy: proxy, secretsRead: readsSecrets), terminator: "")
            for warning in loaded.warnings { print("warning: \(warning)") }
        } catch {
            printError("configuration \(path) is invalid:")
            for issue in error.issues { printError("  - \(issue)") }
            return 1
        }
        if pingsRedis, let redis = loaded.config.redis, case .success(let client) = RedisSettings.configuration(redis) {
            guard await RedisCheck.run(client, keyPrefix: redis.keyPrefix) else {
                printError("configuration \(path) is valid, but its Redis cannot be used (the gateway would serve, each replica alone at its fallback share)")
                return 1
            }
        } else if pingsRedis {
            print("redis: no redis block, nothing to ping")
        }
        print(readsSecrets ? "configuration OK" : "configuration structure OK (secret and CA files not read: --without-secrets)")
        return 0
    }

    static func serve(path: String, environment: [String: String]) async -> Int32 {
        // First of all, so SIGHUP/SIGTERM during start-up are queued rather than fatal.
        let signals = SignalWaiter(signals: GatewayRuntime.handledSignals)
        let logs = LogSink.standardOutput()
        // Queued lines are written before the process exits (bounded: a stdout nobody reads cannot hold the exit).
        defer { logs.flush() }
        let loader = GatewayConfigLoader(environment: environment)
        let loaded: GatewayConfigLoader.Loaded
        do throws(ConfigError) {
            loaded = try loader.load(path: path)
            _ = try EgressProxy.settings(configured: loaded.config.upstream.proxy, environment: environment).get()
        } catch {
            logs.event(.error, "config_invalid", "the configuration is invalid", [("issues", .array(error.issues.map { .string($0.description) }))])
            return 1
        }
        for warning in loaded.warnings { logs.event(.warn, "config_warning", warning) }
        let runtime = GatewayRuntime(config: loaded.config, configPath: path, logs: logs, loader: loader)
        do {
            _ = try runtime.start()
        } catch {
            logs.event(.error, "listen_failed", "cannot listen: \(error)")
            return 1
        }
        await runtime.runUntilTerminated(signals: signals)
        return 0
    }

    /// `kubectl exec POD -- campaign-gateway reload`: the image has no shell and no `kill`, and the gateway is PID 1.
    static func reload(pid text: String?) -> Int32 {
        guard let pid = Int32(text ?? "1"), pid > 0 else { return usageError("reload --pid needs a process id") }
        guard kill(pid, SIGHUP) == 0 else {
            printError("reload: cannot signal process \(pid): \(String(cString: strerror(errno)))")
            return 1
        }
        return 0
    }

    static func healthcheck(url: String) -> Int32 {
        guard let status = HealthProbe.get(url) else {
            printError("healthcheck: no answer from \(url)")
            return 1
        }
        return status == 200 ? 0 : 1
    }
}
