import GatewayCrypto
import KoreAdapter

/// The gateway's whole configuration. Built only through `GatewayConfigLoader`, so every
/// instance has been validated and its secrets resolved.
public struct GatewayConfig: Sendable {
    public var listen: Listen
    public var tenants: [Tenant]
    public var clients: [Client]
    public var upstream: Upstream
    public var limits: Limits
    public var audit: Audit?
    /// How long SIGTERM waits for in-flight requests. Default 10.
    public var shutdownGraceSeconds: Double
    public var idempotency: Idempotency
    /// The API page at `/docs`. Off unless the file turns it on.
    public var apiPage: APIPage
    /// Where the replicas share the per-account budget and the `Idempotency-Key` records; nil: this process keeps
    /// them (one replica).
    public var redis: Redis?

    public init(listen: Listen, tenants: [Tenant], clients: [Client], upstream: Upstream, limits: Limits, audit: Audit?,
                shutdownGraceSeconds: Double, idempotency: Idempotency = Idempotency(), apiPage: APIPage = APIPage(),
                redis: Redis? = nil) {
        self.listen = listen
        self.tenants = tenants
        self.clients = clients
        self.upstream = upstream
        self.limits = limits
        self.audit = audit
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.idempotency = idempotency
        self.apiPage = apiPage
        self.redis = redis
    }

    /// The API page: the operations of the embedded OpenAPI document, tried from a browser with a caller's key.
    public struct APIPage: Sendable, Equatable {
        /// Default false; the demo turns it on.
        public var enabled: Bool
        /// What the page fills in for a first try (`apiKey`, `tenant`, `type`, `id`): the demo's public key and a
        /// seeded campaign. Never read from a configuration file, which holds no keys.
        public var hints: [String: String]

        public init(enabled: Bool = false, hints: [String: String] = [:]) {
            self.enabled = enabled
            self.hints = hints
        }
    }

    public struct Listen: Sendable {
        /// Default "0.0.0.0".
        public var host: String
        /// Default 8080.
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public struct Tenant: Sendable {
        public var name: String
        /// `https://platform.kore.ai` (or a regional host), or `http://` for the simulator / an egress proxy.
        public var baseURL: String
        public var apiVersion: UpstreamVersion
        public var streamId: String
        public var accountId: String
        public var clientId: String
        /// The resolved client secret. Never logged or printed.
        public var clientSecret: [UInt8]
        /// Where the secret came from, for the redacted summary.
        public var secretSource: SecretSource
        /// Default HS256.
        public var algorithm: JWTAlgorithm
        /// Default 300; at most 3600.
        public var tokenTTLSeconds: Int
        /// Default false. When true every upstream call gets a fresh token with a random `jti`.
        public var enforceJti: Bool

        public init(name: String, baseURL: String, apiVersion: UpstreamVersion, streamId: String, accountId: String,
                    clientId: String, clientSecret: [UInt8], secretSource: SecretSource, algorithm: JWTAlgorithm,
                    tokenTTLSeconds: Int, enforceJti: Bool) {
            self.name = name
            self.baseURL = baseURL
            self.apiVersion = apiVersion
            self.streamId = streamId
            self.accountId = accountId
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.secretSource = secretSource
            self.algorithm = algorithm
            self.tokenTTLSeconds = tokenTTLSeconds
            self.enforceJti = enforceJti
        }

        public var upstreamTenant: UpstreamTenant {
            UpstreamTenant(baseURL: baseURL, version: apiVersion, streamId: streamId, accountId: accountId)
        }
    }

    public struct Client: Sendable {
        public var name: String
        /// SHA-256 of the API key, as 32 bytes.
        public var apiKeyHash: [UInt8]
        public var tenants: [String]
        public var scopes: Set<Scope>

        public init(name: String, apiKeyHash: [UInt8], tenants: [String], scopes: Set<Scope>) {
            self.name = name
            self.apiKeyHash = apiKeyHash
            self.tenants = tenants
            self.scopes = scopes
        }
    }

    public enum Scope: String, Sendable, CaseIterable {
        case read, delete, update, create, control
    }

    public struct Upstream: Sendable {
        /// Bounds the whole upstream exchange, retries included. Default 10.
        public var timeoutSeconds: Double
        /// Retries where the request certainly did not reach Kore.ai, or Kore.ai said 429/503. Default 2.
        public var maxRetries: Int
        /// At most this many calls to Kore.ai per accountId in any 60-second window. Default 60 (Kore.ai's documented limit).
        public var requestsPerMinutePerAccount: Int
        /// How long a request may wait for its slot when the window is full, instead of an immediate 429. Default 0.
        public var pacingMaxWaitSeconds: Double
        /// The number of replicas the budget is divided by when the shared pacing store is unreachable. Default 4.
        public var fallbackReplicas: Int
        /// The egress proxy, `http://[user:password@]host[:port]` (checked by the gateway with the HTTP client's
        /// parser); nil: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` from the environment. `NO_PROXY` applies either way.
        public var proxy: String?
        /// A PEM bundle replacing the system trust store (absolute, or relative to the configuration file's folder).
        public var caFile: String?
        /// The largest upstream answer body read. Default 4 MiB (a campaign is a few KB).
        public var maxResponseBytes: Int

        public init(timeoutSeconds: Double, maxRetries: Int, requestsPerMinutePerAccount: Int, pacingMaxWaitSeconds: Double = 0,
                    fallbackReplicas: Int = 4, proxy: String? = nil, caFile: String? = nil, maxResponseBytes: Int = 4 << 20) {
            self.timeoutSeconds = timeoutSeconds
            self.maxRetries = maxRetries
            self.requestsPerMinutePerAccount = requestsPerMinutePerAccount
            self.pacingMaxWaitSeconds = pacingMaxWaitSeconds
            self.fallbackReplicas = fallbackReplicas
            self.proxy = proxy
            self.caFile = caFile
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public struct Limits: Sendable, Equatable {
        public var maxBodyBytes: Int = 1_048_576
        public var maxHeaderBytes: Int = 16_384
        public var headerTimeoutSeconds: Double = 10
        /// How long a declared body may take to arrive once the head is in (a slow upload holds a connection).
        public var bodyTimeoutSeconds: Double = 30
        public var idleTimeoutSeconds: Double = 60
        public var maxConnections: Int = 10_000

        /// The defaults above.
        public init() {}
    }

    public struct Idempotency: Sendable, Equatable {
        /// How long the answer to a write sent with an `Idempotency-Key` is kept for replay. Default 86400 (24 h).
        public var ttlSeconds: Int = 86_400

        public init(ttlSeconds: Int = 86_400) {
            self.ttlSeconds = ttlSeconds
        }
    }

    /// The `redis` block. The URL is kept as written: the gateway checks it with the Redis client's own parser (so
    /// the file and the client can never read it two ways), as it does the proxy URL.
    public struct Redis: Sendable, Equatable {
        /// `redis://host[:port][/db]` or `rediss://...` (TLS); never with credentials in it.
        public var url: String
        /// The ACL user `AUTH` names; nil: `AUTH password` (the `default` user). Only with a password.
        public var username: String?
        /// The resolved password. Never logged or printed; empty only in a configuration checked `--without-secrets`.
        public var password: [UInt8]?
        /// Where the password came from, for the redacted summary.
        public var passwordSource: SecretSource?
        /// A PEM bundle replacing the system trust store for `rediss://` (absolute, or relative to the file's folder).
        public var caFile: String?
        /// Each command's whole time, connecting included. Default 100: a slow Redis costs a request at most this,
        /// once, before the breaker sends requests to the fallback.
        public var timeoutMilliseconds: Int
        /// Put before every key the gateway writes. Default `cgw:`.
        public var keyPrefix: String

        public static let defaultTimeoutMilliseconds = 100
        public static let defaultKeyPrefix = "cgw:"

        public init(url: String, username: String? = nil, password: [UInt8]? = nil, passwordSource: SecretSource? = nil,
                    caFile: String? = nil, timeoutMilliseconds: Int = Redis.defaultTimeoutMilliseconds,
                    keyPrefix: String = Redis.defaultKeyPrefix) {
            self.url = url
            self.username = username
            self.password = password
            self.passwordSource = passwordSource
            self.caFile = caFile
            self.timeoutMilliseconds = timeoutMilliseconds
            self.keyPrefix = keyPrefix
        }
    }

    public struct Audit: Sendable {
        /// Absolute, or relative to the configuration file's folder.
        public var path: String
        public var fsync: Bool

        public init(path: String, fsync: Bool) {
            self.path = path
            self.fsync = fsync
        }
    }
}
