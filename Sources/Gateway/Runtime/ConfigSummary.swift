import GatewayCrypto
import HTTPClient
import KoreAdapter
import GatewayConfiguration

/// `check-config`'s redacted summary: where secrets come from, never what they are.
enum ConfigSummary {
    /// `proxy` is what `EgressProxy.settings` made of `upstream.proxy` and the environment (the settings the gateway
    /// would start with); `secretsRead` false marks a summary of `--without-secrets`.
    static func render(_ config: GatewayConfig, proxy: ProxySettings, secretsRead: Bool = true) -> String {
        var lines = ["listen: \(config.listen.host):\(config.listen.port)", "tenants:"]
        for t in config.tenants {
            lines.append("  - \(t.name): \(t.apiVersion.rawValue) \(t.baseURL) streamId=\(t.streamId) accountId=\(t.accountId) clientId=\(t.clientId) secret=<from \(t.secretSource)\(secretsRead ? "" : ", not read")> \(t.algorithm.rawValue) ttl=\(t.tokenTTLSeconds)s enforceJti=\(t.enforceJti)")
        }
        lines.append("clients:")
        for c in config.clients {
            lines.append("  - \(c.name): tenants=\(c.tenants.joined(separator: ",")) scopes=\(c.scopes.map(\.rawValue).sorted().joined(separator: ","))")
        }
        let upstream = config.upstream
        lines.append("upstream: timeout=\(upstream.timeoutSeconds)s maxRetries=\(upstream.maxRetries) requestsPerMinutePerAccount=\(upstream.requestsPerMinutePerAccount) (any 60 s window) pacingMaxWaitSeconds=\(upstream.pacingMaxWaitSeconds) fallbackReplicas=\(upstream.fallbackReplicas) maxResponseBytes=\(upstream.maxResponseBytes)")
        lines.append("upstream.proxy: " + proxyLine(configured: upstream.proxy != nil, proxy))
        if let caFile = upstream.caFile {
            lines.append("upstream.caFile: \(caFile)" + (secretsRead ? "" : " (not read)"))
        } else {
            lines.append("upstream.caFile: none (OpenSSL's default verify paths; SSL_CERT_FILE and SSL_CERT_DIR apply)")
        }
        lines.append("limits: body=\(config.limits.maxBodyBytes)B headers=\(config.limits.maxHeaderBytes)B headerTimeout=\(config.limits.headerTimeoutSeconds)s bodyTimeout=\(config.limits.bodyTimeoutSeconds)s idle=\(config.limits.idleTimeoutSeconds)s maxConnections=\(config.limits.maxConnections)")
        lines.append("idempotency: ttlSeconds=\(config.idempotency.ttlSeconds)")
        lines.append("redis: " + redisLine(config.redis, secretsRead: secretsRead))
        if let audit = config.audit { lines.append("audit: \(audit.path) fsync=\(audit.fsync)") }
        lines.append("shutdownGraceSeconds: \(config.shutdownGraceSeconds)")
        lines.append("apiPage: " + (config.apiPage.enabled ? "on at /docs" : "off"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The shared-state backend, the password as its source only.
    static func redisLine(_ redis: GatewayConfig.Redis?, secretsRead: Bool) -> String {
        guard let redis else {
            return "none (the account budget and Idempotency-Key records are kept in this process: one replica)"
        }
        var parts = [redis.url]
        if let username = redis.username { parts.append("username=\(username)") }
        if let source = redis.passwordSource {
            parts.append("password=<from \(source)\(secretsRead ? "" : ", not read")>")
        } else {
            parts.append("password=none")
        }
        if let caFile = redis.caFile { parts.append("caFile=\(caFile)" + (secretsRead ? "" : " (not read)")) }
        parts.append("timeout=\(redis.timeoutMilliseconds)ms keyPrefix=\(redis.keyPrefix)")
        return parts.joined(separator: " ")
    }

    /// The proxy each kind of tenant goes through, credentials as `<redacted>`, and the `NO_PROXY` exemptions. A value
    /// the client could not use never gets here: `EgressProxy.settings` refused it with the reason.
    static func proxyLine(configured: Bool, _ settings: ProxySettings) -> String {
        let exemptions = settings.noProxy.isEmpty ? "" : ", NO_PROXY " + settings.noProxy.map(\.description).joined(separator: ",")
        if configured, let proxy = settings.httpsProxy { return "\(proxy) (every tenant\(exemptions))" }
        guard settings.httpsProxy != nil || settings.httpProxy != nil else {
            return "none (no HTTPS_PROXY, HTTP_PROXY or ALL_PROXY in the environment either)"
        }
        return "none configured; from the environment: https:// tenants via \(settings.httpsProxy?.description ?? "no proxy"), "
            + "http:// tenants via \(settings.httpProxy?.description ?? "no proxy")" + exemptions
    }
}
