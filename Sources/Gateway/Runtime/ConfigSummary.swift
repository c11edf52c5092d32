import GatewayCrypto
import HTTPClient
import KoreAdapter
import GatewayConfiguration

/// `check-config`'s redacted summary: where secrets come from, never what they are.
enum ConfigSummary {
    /// `environment` is where an unset `upstream.proxy` is taken from (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, as the
    /// gateway reads them at start); `secretsRead` false marks a summary of `--without-secrets`.
    static func render(_ config: GatewayConfig, environment: [String: String] = [:], secretsRead: Bool = true) -> String {
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
        lines.append("upstream.proxy: " + proxyLine(upstream.proxy, environment: environment))
        if let caFile = upstream.caFile {
            lines.append("upstream.caFile: \(caFile)" + (secretsRead ? "" : " (not read)"))
        } else {
            lines.append("upstream.caFile: none (OpenSSL's default verify paths; SSL_CERT_FILE and SSL_CERT_DIR apply)")
        }
        lines.append("limits: body=\(config.limits.maxBodyBytes)B headers=\(config.limits.maxHeaderBytes)B headerTimeout=\(config.limits.headerTimeoutSeconds)s bodyTimeout=\(config.limits.bodyTimeoutSeconds)s idle=\(config.limits.idleTimeoutSeconds)s maxConnections=\(config.limits.maxConnections)")
        lines.append("idempotency: ttlSeconds=\(config.idempotency.ttlSeconds)")
        if let audit = config.audit { lines.append("audit: \(audit.path) fsync=\(audit.fsync)") }
        lines.append("shutdownGraceSeconds: \(config.shutdownGraceSeconds)")
        lines.append("apiPage: " + (config.apiPage.enabled ? "on at /docs" : "off"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The configured proxy, or what the environment gives when none is configured (host and port; a variable's value
    /// is never printed, as it may carry credentials).
    static func proxyLine(_ configured: String?, environment: [String: String]) -> String {
        if let configured { return "\(configured) (every tenant; NO_PROXY from the environment applies)" }
        let settings = ProxySettings.resolve(configured: nil, environment: { environment[$0] })
        /// A variable that is set (as the client reads it: lowercase name first) but that the client cannot use.
        func ignored(_ name: String, _ parsed: ProxyEndpoint?) -> String? {
            let set = [name.lowercased(), name].first { environment[$0]?.isEmpty == false }
            guard let set, parsed == nil else { return nil }
            return "\(set) is set but is not http://host:port without user information: ignored"
        }
        let unusable = [ignored("HTTPS_PROXY", settings.httpsProxy), ignored("HTTP_PROXY", settings.httpProxy)].compactMap { $0 }
        guard settings.httpsProxy != nil || settings.httpProxy != nil else {
            return unusable.isEmpty ? "none (no HTTPS_PROXY or HTTP_PROXY in the environment either)"
                                    : "none (" + unusable.joined(separator: "; ") + ")"
        }
        var parts = ["none configured; from the environment: https:// tenants via \(settings.httpsProxy?.description ?? "no proxy")",
                     "http:// tenants via \(settings.httpProxy?.description ?? "no proxy")"]
        if !settings.noProxy.isEmpty { parts.append("NO_PROXY \(settings.noProxy.joined(separator: ","))") }
        return (parts + unusable).joined(separator: ", ")
    }
}
