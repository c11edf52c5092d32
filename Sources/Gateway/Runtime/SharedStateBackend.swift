import GatewayConfiguration
import JSONCore
import RedisClient

/// Where this configuration keeps the per-account budget and the `Idempotency-Key` records: in this process, or in
/// Redis through one `SharedStateLink` (the client, its breaker and its fallback). Built by the runtime from the
/// `redis` block and handed to every `GatewayState`; a reload keeps it (and its connections) while the block stays
/// the same, and builds a new one when the block changes.
public final class SharedStateBackend: Sendable {
    /// The block it was built from; nil: in process.
    public let redis: GatewayConfig.Redis?
    public let link: SharedStateLink?
    public let pacing: any PacingStore
    public let idempotency: any IdempotencyStore

    /// In process: one replica's state (the default without a `redis` block).
    public init(pacing: any PacingStore = InProcessPacingStore(), idempotency: any IdempotencyStore = InProcessIdempotencyStore()) {
        redis = nil
        link = nil
        self.pacing = pacing
        self.idempotency = idempotency
    }

    /// Shared through Redis. Nothing is connected yet: the first command (or the start-up eviction check) connects,
    /// and a Redis that cannot be reached sends the stores to their fallbacks, so the gateway starts and serves
    /// without it.
    public init(redis: GatewayConfig.Redis, client: RedisClient.Configuration, fallbackReplicas: Int, observer: GatewayObserver) {
        self.redis = redis
        let link = SharedStateLink(client: RedisClient(configuration: client), keyPrefix: redis.keyPrefix,
                                   timeoutSeconds: client.commandTimeoutSeconds, logs: observer.logs, metrics: observer.sharedState)
        self.link = link
        pacing = RedisPacingStore(link: link, fallbackReplicas: fallbackReplicas)
        idempotency = RedisIdempotencyStore(link: link)
    }

    /// The backend for `config`, or the reason its `redis` block cannot be used (a URL the client refuses).
    public static func make(for config: GatewayConfig, observer: GatewayObserver) -> Result<SharedStateBackend, ConfigError> {
        guard let redis = config.redis else { return .success(SharedStateBackend()) }
        return RedisSettings.configuration(redis).map {
            SharedStateBackend(redis: redis, client: $0, fallbackReplicas: config.upstream.fallbackReplicas, observer: observer)
        }
    }

    /// What a reload to `config` uses: this backend when the `redis` block is the same (its connections, breaker
    /// and fallback window go on; a new `fallbackReplicas` applies to it), else a new one. `retired` is this
    /// backend when it is replaced: the caller shuts its link down once requests in flight are done with it.
    /// In process, a backend is kept across reloads too (a reload must not reset Kore.ai's budget).
    public func next(for config: GatewayConfig, observer: GatewayObserver)
        -> Result<(backend: SharedStateBackend, retired: SharedStateBackend?), ConfigError> {
        if config.redis == redis {
            (pacing as? RedisPacingStore)?.setFallbackReplicas(config.upstream.fallbackReplicas)
            return .success((self, nil))
        }
        return Self.make(for: config, observer: observer).map { backend in
            if backend.link == nil { observer.sharedState.detach() }
            return (backend, self)
        }
    }

    /// Closes the link's connections (nothing to do in process).
    public func shutdown() async {
        await link?.shutdown()
    }

    /// What `/readyz` says: which backend, and for Redis whether decisions are shared now. Readiness does not
    /// depend on it: a Redis outage must not take every replica out of the Service at once.
    public var readinessJSON: JSONValue {
        guard let link else { return .object(["backend": .string("process")]) }
        var object: JSONObject = ["backend": .string("redis"), "redis": .string("\(link.client.configuration.endpoint)")]
        if case .object(let status) = link.status.json {
            for (key, value) in status { object[key] = value }
        }
        return .object(object)
    }
}
