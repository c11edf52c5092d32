import KoreAdapter
import GatewayConfiguration

/// Everything one configuration implies, built once and then immutable. A reload builds a new one and swaps it in;
/// requests in flight keep the one they started with.
public final class GatewayState: Sendable {
    public let config: GatewayConfig
    public let authenticator: CallerAuthenticator
    public let tenants: [String: TenantRuntime]
    public let pacer: AccountPacer
    /// The `Idempotency-Key` records, kept across reloads like the pacing store.
    public let idempotency: any IdempotencyStore
    /// Where both stores live (in process, or Redis through a link), for `/readyz`.
    public let sharedState: SharedStateBackend
    public let caller: UpstreamCaller

    /// `sharedState` is what the runtime built for the configuration's `redis` block (kept across a reload while
    /// the block stays the same). Without it: `previous`'s, else in process, with `pacingStore` and
    /// `idempotencyStore` when given (tests pass them with a manual clock).
    public init(config: GatewayConfig, transport: any UpstreamTransport, observer: GatewayObserver? = nil, previous: GatewayState? = nil,
                sharedState: SharedStateBackend? = nil,
                pacingStore: (any PacingStore)? = nil, idempotencyStore: (any IdempotencyStore)? = nil) {
        self.config = config
        var tenants: [String: TenantRuntime] = [:]
        for tenant in config.tenants {
            tenants[tenant.name] = TenantRuntime(config: tenant)
        }
        self.tenants = tenants
        authenticator = CallerAuthenticator(config: config, runtimes: tenants)
        // The stores outlive reloads: a reload must not reset Kore.ai's budget nor forget stored answers. A new limit
        // applies to the calls already in the window.
        let backend = sharedState ?? previous?.sharedState
            ?? SharedStateBackend(pacing: pacingStore ?? InProcessPacingStore(), idempotency: idempotencyStore ?? InProcessIdempotencyStore())
        self.sharedState = backend
        idempotency = backend.idempotency
        pacer = AccountPacer(store: backend.pacing, requestsPerMinute: config.upstream.requestsPerMinutePerAccount,
                             maxWaitSeconds: config.upstream.pacingMaxWaitSeconds)
        caller = UpstreamCaller(transport: transport, timeoutSeconds: config.upstream.timeoutSeconds,
                                maxRetries: config.upstream.maxRetries, observer: observer)
    }
}
