import GatewayCrypto
import KoreAdapter
import GatewayConfiguration
/// `check-config`'s redacted summary: where secrets come from, never what they are.
enum ConfigSummary {
    static func render(_ config: GatewayConfig) -> String {
        var lines = ["listen: \(config.listen.host):\(config.listen.port)", "tenants:"]
        for t in config.tenants {
            lines.append("  - \(t.name): \(t.apiVersion.rawValue) \(t.baseURL) streamId=\(t.streamId) accountId=\(t.accountId) clientId=\(t.clientId) secret=<from \(t.secretSource)> \(t.algorithm.rawValue) ttl=\(t.tokenTTLSeconds)s enforceJti=\(t.enforceJti)")
        }
        lines.append("clients:")
        for c in config.clients {
            lines.append("  - \(c.name): tenants=\(c.tenants.joined(separator: ",")) scopes=\(c.scopes.map(\.rawValue).sorted().joined(separator: ","))")
        }
        let upstream = config.upstream
        lines.append("upstream: timeout=\(upstream.timeoutSeconds)s maxRetries=\(upstream.maxRetries) requestsPerMinutePerAccount=\(upstream.requestsPerMinutePerAccount) (any 60 s window) pacingMaxWaitSeconds=\(upstream.pacingMaxWaitSeconds) fallbackReplicas=\(upstream.fallbackReplicas)")
        lines.append("limits: body=\(config.limits.maxBodyBytes)B headers=\(config.limits.maxHeaderBytes)B headerTimeout=\(config.limits.headerTimeoutSeconds)s bodyTimeout=\(config.limits.bodyTimeoutSeconds)s idle=\(config.limits.idleTimeoutSeconds)s maxConnections=\(config.limits.maxConnections)")
        lines.append("idempotency: ttlSeconds=\(config.idempotency.ttlSeconds)")
        if let audit = config.audit { lines.append("audit: \(audit.path) fsync=\(audit.fsync)") }
        lines.append("shutdownGraceSeconds: \(config.shutdownGraceSeconds)")
        return lines.joined(separator: "\n") + "\n"
    }
}
