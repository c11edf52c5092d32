import KoreAdapter
import GatewayConfiguration

/// Everything one configuration implies, built once and then immutable. A reload builds a new one and swaps it in;
/// requests in flight keep the one they started with.
public final class GatewayState: Sendable {
    public let config: GatewayConfig
    public let authenticator: CallerAuthenticator
    public let tenants: [String: TenantRuntime]
    public let pacer: AccountPacer
    public let caller: UpstreamCaller

    public init(config: GatewayConfig, transport: any UpstreamTransport, observer: GatewayObserver? = nil, previous: GatewayState? = nil) {
        self.config = config
        authenticator = CallerAuthenticator(config: config)
        var tenants: [String: TenantRuntime] = [:]
        for tenant in config.tenants {
            tenants[tenant.name] = TenantRuntime(config: tenant)
        }
        self.tenants = tenants
        // Keep pacing state across reloads when the limit is unchanged, so a reload cannot reset Kore.ai's budget.
        if let previous, previous.config.upstream.requestsPerMinutePerAccount == config.upstream.requestsPerMinutePerAccount {
            pacer = previous.pacer
        } else {
            pacer = AccountPacer(requestsPerMinute: config.upstream.requestsPerMinutePerAccount)
        }
        caller = UpstreamCaller(transport: transport, timeoutSeconds: config.upstream.timeoutSeconds,
                                maxRetries: config.upstream.maxRetries, observer: observer)
    }
}
