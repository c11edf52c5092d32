import GatewayCrypto
import KoreAdapter

/// What a reload changes, key by key, for the `reloaded` log line. Secrets and key hashes are reported as changed,
/// never with their values.
public struct ConfigChanges: Sendable, Equatable {
    /// Changes the reload put into effect: `upstream.timeoutSeconds: 10 -> 5`, `tenants[acme-eu]: added`,
    /// `tenants[acme].clientSecret: changed`.
    public var applied: [String]
    /// Changes that take effect only at the next start (the listener, the server's limits, the grace period, the
    /// upstream client's proxy, CA file and body cap), compared with what the process started with: `listen.port:
    /// 8080 -> 9090`. They stay listed on every reload until a restart.
    public var notApplied: [String]

    public init(applied: [String], notApplied: [String]) {
        self.applied = applied
        self.notApplied = notApplied
    }

    /// `previous` is the configuration in force until now, `next` the one just loaded, `running` the one the process
    /// started with.
    public init(from previous: GatewayConfig, to next: GatewayConfig, running: GatewayConfig) {
        var applied: [String] = []
        var notApplied: [String] = []
        func compare<Value: Equatable>(_ key: String, _ old: Value, _ new: Value, into list: inout [String],
                                       show: (Value) -> String) {
            if old != new { list.append("\(key): \(show(old)) -> \(show(new))") }
        }
        func text(_ value: String?) -> String { value ?? "none" }
        func number(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }

        compare("listen.host", running.listen.host, next.listen.host, into: &notApplied, show: { $0 })
        compare("listen.port", running.listen.port, next.listen.port, into: &notApplied, show: String.init)
        let (oldLimits, newLimits) = (running.limits, next.limits)
        compare("limits.maxBodyBytes", oldLimits.maxBodyBytes, newLimits.maxBodyBytes, into: &notApplied, show: String.init)
        compare("limits.maxHeaderBytes", oldLimits.maxHeaderBytes, newLimits.maxHeaderBytes, into: &notApplied, show: String.init)
        compare("limits.headerTimeoutSeconds", oldLimits.headerTimeoutSeconds, newLimits.headerTimeoutSeconds, into: &notApplied, show: number)
        compare("limits.bodyTimeoutSeconds", oldLimits.bodyTimeoutSeconds, newLimits.bodyTimeoutSeconds, into: &notApplied, show: number)
        compare("limits.idleTimeoutSeconds", oldLimits.idleTimeoutSeconds, newLimits.idleTimeoutSeconds, into: &notApplied, show: number)
        compare("limits.maxConnections", oldLimits.maxConnections, newLimits.maxConnections, into: &notApplied, show: String.init)
        compare("shutdownGraceSeconds", running.shutdownGraceSeconds, next.shutdownGraceSeconds, into: &notApplied, show: number)
        compare("upstream.proxy", running.upstream.proxy, next.upstream.proxy, into: &notApplied, show: text)
        compare("upstream.caFile", running.upstream.caFile, next.upstream.caFile, into: &notApplied, show: text)
        compare("upstream.maxResponseBytes", running.upstream.maxResponseBytes, next.upstream.maxResponseBytes, into: &notApplied, show: String.init)

        compare("upstream.timeoutSeconds", previous.upstream.timeoutSeconds, next.upstream.timeoutSeconds, into: &applied, show: number)
        compare("upstream.maxRetries", previous.upstream.maxRetries, next.upstream.maxRetries, into: &applied, show: String.init)
        compare("upstream.requestsPerMinutePerAccount", previous.upstream.requestsPerMinutePerAccount,
                next.upstream.requestsPerMinutePerAccount, into: &applied, show: String.init)
        compare("upstream.pacingMaxWaitSeconds", previous.upstream.pacingMaxWaitSeconds, next.upstream.pacingMaxWaitSeconds,
                into: &applied, show: number)
        compare("upstream.fallbackReplicas", previous.upstream.fallbackReplicas, next.upstream.fallbackReplicas, into: &applied,
                show: String.init)
        compare("idempotency.ttlSeconds", previous.idempotency.ttlSeconds, next.idempotency.ttlSeconds, into: &applied,
                show: String.init)
        compare("apiPage.enabled", previous.apiPage.enabled, next.apiPage.enabled, into: &applied, show: String.init)
        compare("audit.path", previous.audit?.path, next.audit?.path, into: &applied, show: text)
        compare("audit.fsync", previous.audit?.fsync, next.audit?.fsync, into: &applied, show: { $0.map(String.init) ?? "none" })

        switch (previous.redis, next.redis) {
        case (nil, nil): break
        case (nil, .some(let added)): applied.append("redis: added (\(added.url))")
        case (.some(let removed), nil): applied.append("redis: removed (\(removed.url)); pacing and Idempotency-Key records in this process")
        case (.some(let old), .some(let new)):
            compare("redis.url", old.url, new.url, into: &applied, show: { $0 })
            compare("redis.username", old.username, new.username, into: &applied, show: text)
            compare("redis.password source", old.passwordSource?.description, new.passwordSource?.description, into: &applied, show: text)
            if old.password != new.password && old.passwordSource == new.passwordSource { applied.append("redis.password: changed") }
            compare("redis.caFile", old.caFile, new.caFile, into: &applied, show: text)
            compare("redis.timeoutMilliseconds", old.timeoutMilliseconds, new.timeoutMilliseconds, into: &applied, show: String.init)
            compare("redis.keyPrefix", old.keyPrefix, new.keyPrefix, into: &applied, show: { $0 })
        }

        let oldTenants = Dictionary(previous.tenants.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for tenant in next.tenants {
            let key = "tenants[\(tenant.name)]"
            guard let old = oldTenants[tenant.name] else {
                applied.append("\(key): added")
                continue
            }
            compare("\(key).baseURL", old.baseURL, tenant.baseURL, into: &applied, show: { $0 })
            compare("\(key).apiVersion", old.apiVersion.rawValue, tenant.apiVersion.rawValue, into: &applied, show: { $0 })
            compare("\(key).streamId", old.streamId, tenant.streamId, into: &applied, show: { $0 })
            compare("\(key).accountId", old.accountId, tenant.accountId, into: &applied, show: { $0 })
            compare("\(key).clientId", old.clientId, tenant.clientId, into: &applied, show: { $0 })
            compare("\(key).clientSecret source", old.secretSource.description, tenant.secretSource.description,
                    into: &applied, show: { $0 })
            if old.clientSecret != tenant.clientSecret { applied.append("\(key).clientSecret: changed") }
            compare("\(key).algorithm", old.algorithm.rawValue, tenant.algorithm.rawValue, into: &applied, show: { $0 })
            compare("\(key).tokenTTLSeconds", old.tokenTTLSeconds, tenant.tokenTTLSeconds, into: &applied, show: String.init)
            compare("\(key).enforceJti", old.enforceJti, tenant.enforceJti, into: &applied, show: String.init)
        }
        let newTenantNames = Set(next.tenants.map(\.name))
        for tenant in previous.tenants where !newTenantNames.contains(tenant.name) {
            applied.append("tenants[\(tenant.name)]: removed")
        }

        let oldClients = Dictionary(previous.clients.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for client in next.clients {
            let key = "clients[\(client.name)]"
            guard let old = oldClients[client.name] else {
                applied.append("\(key): added")
                continue
            }
            if old.apiKeyHash != client.apiKeyHash { applied.append("\(key).apiKeySHA256: changed") }
            compare("\(key).tenants", old.tenants, client.tenants, into: &applied, show: { $0.joined(separator: ",") })
            compare("\(key).scopes", old.scopes, client.scopes, into: &applied,
                    show: { $0.map(\.rawValue).sorted().joined(separator: ",") })
        }
        let newClientNames = Set(next.clients.map(\.name))
        for client in previous.clients where !newClientNames.contains(client.name) {
            applied.append("clients[\(client.name)]: removed")
        }
        self.init(applied: applied, notApplied: notApplied)
    }
}
