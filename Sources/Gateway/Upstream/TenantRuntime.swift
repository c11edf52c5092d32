import GatewayCrypto
import KoreAdapter
import GatewayConfiguration

/// A tenant's configuration together with its process-local state: the token cache, the circuit breaker, and its
/// upstream calls' fixed parts, built once.
public final class TenantRuntime: Sendable {
    public let config: GatewayConfig.Tenant
    public let tokens: TokenCache
    public let breaker: CircuitBreaker
    public let routes: UpstreamTenantRoutes
    /// The token's (redacted) and the fixed upstream headers as a dry run shows them, written once.
    let dryRunHeaders: DryRunResponse.DescribedHeaders
    /// Its routes' URLs as a dry run shows them, escaped once.
    let dryRunURLs: DryRunResponse.DescribedURLs
    /// The tenant name's hash, computed once: the upstream metric's key hashes it instead of the name per call.
    let nameHash: Int

    public init(config: GatewayConfig.Tenant, breaker: CircuitBreaker = CircuitBreaker()) {
        self.config = config
        let minter = TokenMinter(clientId: config.clientId, secret: config.clientSecret,
                                 algorithm: config.algorithm, ttlSeconds: config.tokenTTLSeconds)
        tokens = TokenCache(minter: minter, enforceJti: config.enforceJti)
        self.breaker = breaker
        routes = UpstreamTenantRoutes(tenant: config.upstreamTenant)
        dryRunHeaders = DryRunResponse.DescribedHeaders(routes.leadingHeaders(token: DryRunResponse.redacted))
        dryRunURLs = DryRunResponse.DescribedURLs(routes)
        nameHash = config.name.hashValue
    }
}
