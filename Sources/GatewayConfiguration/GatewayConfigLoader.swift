import GatewayCrypto
import JSONCore
import KoreAdapter

/// Parses, validates and resolves a configuration document. Every problem is reported at once with its key path.
public struct GatewayConfigLoader: Sendable {
    public var environment: [String: String]
    /// false: secret sources and `upstream.caFile` are checked for their shape but not read (`check-config
    /// --without-secrets`, for a configuration checked away from the machine that holds its secret files). Such a
    /// configuration has empty secrets: it is for checking, never for serving.
    public var readsSecrets: Bool
    /// false: the `redis` block's password and CA file are checked for their shape but not read. `kore-sim` loads the
    /// gateway's file for its tenants and their secrets only; it has no business with the Redis password (and
    /// compose does not give it one).
    public var readsRedisSecrets: Bool

    public init(environment: [String: String] = ProcessEnvironment.current(), readsSecrets: Bool = true,
                readsRedisSecrets: Bool = true) {
        self.environment = environment
        self.readsSecrets = readsSecrets
        self.readsRedisSecrets = readsRedisSecrets
    }

    /// A loaded configuration plus what the operator should know but that does not stop the gateway.
    public struct Loaded: Sendable {
        public var config: GatewayConfig
        public var warnings: [String]
        public var path: String?
    }

    public func load(path: String) throws(ConfigError) -> Loaded {
        guard let bytes = FileContents.read(path) else {
            throw ConfigError([ConfigIssue("", "cannot read configuration file \(path)")])
        }
        let directory = FileContents.directory(of: path)
        var loaded = try parse(bytes: bytes, baseDirectory: directory.isEmpty ? "." : directory)
        loaded.path = path
        return loaded
    }

    public func parse(bytes: [UInt8], baseDirectory: String) throws(ConfigError) -> Loaded {
        let document: JSONValue
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            throw ConfigError([ConfigIssue("", "not valid JSON: \(error)")])
        }
        let reader = ConfigReader()
        var warnings: [String] = []
        let root = reader.object(document, at: "", allowed: ["listen", "tenants", "clients", "upstream", "limits", "audit", "shutdownGraceSeconds", "idempotency", "apiPage", "redis"])
        if root == nil && reader.issues.isEmpty { reader.fail("", "must be an object") }

        let listenObject = reader.object(root?["listen"], at: "listen", allowed: ["host", "port"])
        let listen = GatewayConfig.Listen(
            host: reader.string(listenObject, "host", at: "listen") ?? "0.0.0.0",
            port: reader.int(listenObject, "port", at: "listen", range: 0...65535) ?? 8080)

        var tenants: [GatewayConfig.Tenant] = []
        let tenantValues = reader.array(root, "tenants", at: "") ?? []
        if root != nil && tenantValues.isEmpty { reader.fail("tenants", "at least one tenant is required") }
        for (i, value) in tenantValues.enumerated() {
            let path = "tenants[\(i)]"
            if let tenant = parseTenant(value, at: path, reader: reader, baseDirectory: baseDirectory, warnings: &warnings) {
                if tenants.contains(where: { $0.name == tenant.name }) {
                    reader.fail("\(path).name", "duplicate tenant name \(tenant.name)")
                }
                tenants.append(tenant)
            }
        }

        // Names of every tenant entry, valid or not, so a broken tenant does not also fail every client that names it.
        let declaredTenantNames = Set(tenantValues.compactMap { $0["name"]?.stringValue })
        var clients: [GatewayConfig.Client] = []
        let clientValues = reader.array(root, "clients", at: "") ?? []
        if root != nil && clientValues.isEmpty { reader.fail("clients", "at least one client is required") }
        for (i, value) in clientValues.enumerated() {
            let path = "clients[\(i)]"
            if let client = parseClient(value, at: path, reader: reader, tenantNames: declaredTenantNames) {
                if clients.contains(where: { $0.apiKeyHash == client.apiKeyHash }) {
                    reader.fail("\(path).apiKeySHA256", "the same key hash is already used by another client")
                }
                if clients.contains(where: { $0.name == client.name }) {
                    reader.fail("\(path).name", "duplicate client name \(client.name)")
                }
                clients.append(client)
            }
        }

        let upstreamObject = reader.object(root?["upstream"], at: "upstream",
                                           allowed: ["timeoutSeconds", "maxRetries", "requestsPerMinutePerAccount", "pacingMaxWaitSeconds",
                                                     "fallbackReplicas", "proxy", "caFile", "maxResponseBytes"])
        // Read here, checked by the gateway with the HTTP client's own parser (together with the environment's
        // proxy variables), so that the file and the environment can never be read two ways.
        let proxy = reader.string(upstreamObject, "proxy", at: "upstream")
        var caFile = reader.string(upstreamObject, "caFile", at: "upstream")
        if let path = caFile {
            let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
            caFile = full
            if readsSecrets && !Self.isReadableFile(full) { reader.fail("upstream.caFile", "cannot read \(full)") }
        }
        let upstream = GatewayConfig.Upstream(
            timeoutSeconds: reader.double(upstreamObject, "timeoutSeconds", at: "upstream", range: 0.1...300) ?? 10,
            maxRetries: reader.int(upstreamObject, "maxRetries", at: "upstream", range: 0...10) ?? 2,
            requestsPerMinutePerAccount: reader.int(upstreamObject, "requestsPerMinutePerAccount", at: "upstream", range: 1...1_000_000) ?? 60,
            pacingMaxWaitSeconds: reader.double(upstreamObject, "pacingMaxWaitSeconds", at: "upstream", range: 0...300) ?? 0,
            fallbackReplicas: reader.int(upstreamObject, "fallbackReplicas", at: "upstream", range: 1...1000) ?? 4,
            proxy: proxy, caFile: caFile,
            maxResponseBytes: reader.int(upstreamObject, "maxResponseBytes", at: "upstream", range: 1024...(64 << 20)) ?? (4 << 20))

        let limitsObject = reader.object(root?["limits"], at: "limits", allowed: ["maxBodyBytes", "maxHeaderBytes", "headerTimeoutSeconds", "bodyTimeoutSeconds", "idleTimeoutSeconds", "maxConnections"])
        var limits = GatewayConfig.Limits()
        limits.maxBodyBytes = reader.int(limitsObject, "maxBodyBytes", at: "limits", range: 1024...(64 << 20)) ?? limits.maxBodyBytes
        limits.maxHeaderBytes = reader.int(limitsObject, "maxHeaderBytes", at: "limits", range: 1024...(1 << 20)) ?? limits.maxHeaderBytes
        limits.headerTimeoutSeconds = reader.double(limitsObject, "headerTimeoutSeconds", at: "limits", range: 0.1...3600) ?? limits.headerTimeoutSeconds
        limits.bodyTimeoutSeconds = reader.double(limitsObject, "bodyTimeoutSeconds", at: "limits", range: 0.1...3600) ?? limits.bodyTimeoutSeconds
        limits.idleTimeoutSeconds = reader.double(limitsObject, "idleTimeoutSeconds", at: "limits", range: 0.1...86400) ?? limits.idleTimeoutSeconds
        limits.maxConnections = reader.int(limitsObject, "maxConnections", at: "limits", range: 1...1_000_000) ?? limits.maxConnections

        var audit: GatewayConfig.Audit?
        if let auditObject = reader.object(root?["audit"], at: "audit", allowed: ["path", "fsync"]) {
            if let auditPath = reader.string(auditObject, "path", at: "audit", required: true) {
                let full = auditPath.hasPrefix("/") ? auditPath : baseDirectory + "/" + auditPath
                audit = GatewayConfig.Audit(path: full, fsync: reader.bool(auditObject, "fsync", at: "audit") ?? true)
            }
        }
        let grace = reader.double(root, "shutdownGraceSeconds", at: "", range: 0...3600) ?? 10
        let idempotencyObject = reader.object(root?["idempotency"], at: "idempotency", allowed: ["ttlSeconds"])
        // At least a minute (a client's retry loop) and at most a week (the store is bounded, not an archive).
        let idempotency = GatewayConfig.Idempotency(
            ttlSeconds: reader.int(idempotencyObject, "ttlSeconds", at: "idempotency", range: 60...604_800) ?? 86_400)
        let apiPageObject = reader.object(root?["apiPage"], at: "apiPage", allowed: ["enabled"])
        let apiPage = GatewayConfig.APIPage(enabled: reader.bool(apiPageObject, "enabled", at: "apiPage") ?? false)

        let redis = parseRedis(root?["redis"], reader: reader, baseDirectory: baseDirectory, warnings: &warnings)

        guard reader.issues.isEmpty else { throw ConfigError(reader.issues) }
        let config = GatewayConfig(listen: listen, tenants: tenants, clients: clients, upstream: upstream,
                                   limits: limits, audit: audit, shutdownGraceSeconds: grace, idempotency: idempotency,
                                   apiPage: apiPage, redis: redis)
        return Loaded(config: config, warnings: warnings, path: nil)
    }

    /// A readable regular file (a CA bundle is a few hundred KB; the read also proves the permissions).
    static func isReadableFile(_ path: String) -> Bool {
        FileContents.read(path) != nil
    }

    private func parseTenant(_ value: JSONValue, at path: String, reader: ConfigReader, baseDirectory: String,
                             warnings: inout [String]) -> GatewayConfig.Tenant? {
        let allowed: Set<String> = ["name", "baseURL", "apiVersion", "streamId", "accountId", "clientId", "clientSecret",
                                    "algorithm", "tokenTTLSeconds", "enforceJti"]
        guard let object = reader.object(value, at: path, allowed: allowed) else { return nil }
        let before = reader.issues.count
        let name = reader.string(object, "name", at: path, required: true) ?? ""
        let baseURL = reader.string(object, "baseURL", at: path, required: true) ?? ""
        if !baseURL.isEmpty, let problem = UpstreamTenant.baseURLProblem(baseURL) { reader.fail("\(path).baseURL", problem) }
        let versionText = reader.string(object, "apiVersion", at: path) ?? "v2"
        let version = UpstreamVersion(rawValue: versionText)
        if version == nil { reader.fail("\(path).apiVersion", "must be \"v1\" or \"v2\"") }
        let streamId = reader.string(object, "streamId", at: path, required: true) ?? ""
        let accountId = reader.string(object, "accountId", at: path, required: true) ?? ""
        let clientId = reader.string(object, "clientId", at: path, required: true) ?? ""
        for (key, text) in [("name", name), ("streamId", streamId), ("accountId", accountId), ("clientId", clientId)]
        where !Self.isSafeToken(text) && !text.isEmpty {
            // These go into upstream URLs and headers: refuse anything that could change them.
            reader.fail("\(path).\(key)", "may contain only letters, digits, '-', '_' and '.'")
        }
        for (key, text) in [("streamId", streamId), ("accountId", accountId), ("clientId", clientId)] where Self.isPlaceholder(text) {
            // Copied from the documentation's example: Kore.ai would refuse every call with a 401 that says less.
            reader.fail("\(path).\(key)", "\(text) is the documentation's placeholder; put the Kore.ai app's value here")
        }
        let algorithmText = reader.string(object, "algorithm", at: path) ?? "HS256"
        let algorithm = JWTAlgorithm(rawValue: algorithmText)
        if algorithm == nil { reader.fail("\(path).algorithm", "must be \"HS256\" or \"HS512\"") }
        let ttl = reader.int(object, "tokenTTLSeconds", at: path, range: 30...3600) ?? 300
        let enforceJti = reader.bool(object, "enforceJti", at: path) ?? false

        var secret: [UInt8] = []
        var source = SecretSource.value
        if let resolved = parseSecret(object["clientSecret"], at: "\(path).clientSecret", reader: reader,
                                      baseDirectory: baseDirectory, warnings: &warnings) {
            (secret, source) = resolved
        }
        guard reader.issues.count == before, let version, let algorithm else { return nil }
        // The adapter's own check of what goes into upstream URLs, so the two can never disagree.
        let upstream = UpstreamTenant(baseURL: baseURL, version: version, streamId: streamId, accountId: accountId)
        // The base URL was already checked above, under its own key.
        for problem in upstream.configurationProblems() where !problem.hasPrefix("baseURL") { reader.fail(path, problem) }
        guard reader.issues.count == before else { return nil }
        return GatewayConfig.Tenant(name: name, baseURL: baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL,
                                    apiVersion: version, streamId: streamId, accountId: accountId,
                                    clientId: clientId, clientSecret: secret, secretSource: source, algorithm: algorithm,
                                    tokenTTLSeconds: ttl, enforceJti: enforceJti)
    }

    /// A secret source object (`{"env": NAME}`, `{"file": PATH}` or `{"value": "..."}`) read and, unless
    /// `--without-secrets`, resolved. nil when absent (an issue is recorded: callers with an optional secret check
    /// for the key first) or invalid.
    private func parseSecret(_ value: JSONValue?, at secretPath: String, reader: ConfigReader, baseDirectory: String,
                             warnings: inout [String], reads: Bool = true) -> (bytes: [UInt8], source: SecretSource)? {
        guard let value else {
            reader.fail(secretPath, "is required ({\"env\": NAME}, {\"file\": PATH} or {\"value\": \"...\"})")
            return nil
        }
        let before = reader.issues.count
        guard let secretObject = reader.object(value, at: secretPath, allowed: ["env", "file", "value"]) else { return nil }
        var source = SecretSource.value
        var inline: String?
        if secretObject.count != 1 {
            reader.fail(secretPath, "must have exactly one of env, file, value")
        } else if let env = reader.string(secretObject, "env", at: secretPath) {
            source = .env(env)
        } else if let file = reader.string(secretObject, "file", at: secretPath) {
            source = .file(file)
        } else if let text = reader.string(secretObject, "value", at: secretPath) {
            source = .value
            inline = text
            warnings.append("\(secretPath): the secret is written in the configuration file; prefer {\"env\": ...} or {\"file\": ...}")
        }
        if !readsSecrets || !reads {
            if case .env(let name) = source, name.isEmpty { reader.fail(secretPath, "env needs a variable name") }
            if case .file(let file) = source, file.isEmpty { reader.fail(secretPath, "file needs a path") }
            if secretObject.count == 1, case .value = source, inline?.isEmpty != false { reader.fail(secretPath, "value is empty") }
            return reader.issues.count == before ? ([], source) : nil
        }
        guard reader.issues.count == before else { return nil }
        switch source.resolve(environment: environment, inlineValue: inline, baseDirectory: baseDirectory) {
        case .success(let bytes): return (bytes, source)
        case .failure(.missing(let why)):
            reader.fail(secretPath, why)
            return nil
        }
    }

    /// The `redis` block. The URL's syntax is checked by the gateway with the Redis client's parser (like the proxy
    /// URL); here: that it is there, carries no credentials (it is printed in logs), and that the rest is usable.
    private func parseRedis(_ value: JSONValue?, reader: ConfigReader, baseDirectory: String,
                            warnings: inout [String]) -> GatewayConfig.Redis? {
        let path = "redis"
        guard let object = reader.object(value, at: path, allowed: ["url", "username", "password", "caFile",
                                                                     "timeoutMilliseconds", "keyPrefix"]) else { return nil }
        let before = reader.issues.count
        let url = reader.string(object, "url", at: path, required: true) ?? ""
        let lowerURL = url.lowercased()
        if !url.isEmpty && !lowerURL.hasPrefix("redis://") && !lowerURL.hasPrefix("rediss://") {
            reader.fail("redis.url", "must start with redis:// or rediss:// (TLS)")
        }
        if let schemeEnd = url.firstRange(of: "://"), url[schemeEnd.upperBound...].prefix(while: { $0 != "/" }).contains("@") {
            // Never echo the URL: what precedes the @ is a password.
            reader.fail("redis.url", "must not carry credentials (user:password@); set redis.username and redis.password")
        }
        let username = reader.string(object, "username", at: path)
        if let username, !Self.isRedisUsername(username) {
            reader.fail("redis.username", "must be 1 to 128 visible ASCII characters (an ACL user name)")
        }
        var password: [UInt8]?
        var passwordSource: SecretSource?
        if object["password"] != nil {
            if let resolved = parseSecret(object["password"], at: "redis.password", reader: reader, baseDirectory: baseDirectory,
                                          warnings: &warnings, reads: readsRedisSecrets) {
                (password, passwordSource) = (resolved.bytes, resolved.source)
                if let bytes = password, bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                    reader.fail("redis.password", "contains a control character (a stray line break in the secret?)")
                }
            }
        } else if username != nil {
            reader.fail("redis.username", "needs redis.password: AUTH sends both")
        }
        var caFile = reader.string(object, "caFile", at: path)
        if let file = caFile {
            let full = file.hasPrefix("/") ? file : baseDirectory + "/" + file
            caFile = full
            if file.isEmpty {
                reader.fail("redis.caFile", "must not be empty (leave it out for the system trust store)")
            } else if lowerURL.hasPrefix("redis://") {
                reader.fail("redis.caFile", "is only used with rediss:// (TLS); the URL is redis://")
            } else if readsSecrets && readsRedisSecrets && !Self.isReadableFile(full) {
                reader.fail("redis.caFile", "cannot read \(full)")
            }
        }
        let timeout = reader.int(object, "timeoutMilliseconds", at: path, range: Self.redisTimeoutRange)
            ?? GatewayConfig.Redis.defaultTimeoutMilliseconds
        let keyPrefix = reader.string(object, "keyPrefix", at: path) ?? GatewayConfig.Redis.defaultKeyPrefix
        if !Self.isKeyPrefix(keyPrefix) {
            reader.fail("redis.keyPrefix", "must be 1 to 64 characters: letters, digits, ':', '-', '_' and '.'")
        }
        guard reader.issues.count == before else { return nil }
        return GatewayConfig.Redis(url: url, username: username, password: password, passwordSource: passwordSource,
                                   caFile: caFile, timeoutMilliseconds: timeout, keyPrefix: keyPrefix)
    }

    /// A command's whole time: at least a loopback round trip, at most what a request can afford to lose once.
    static let redisTimeoutRange = 5...5_000

    static func isRedisUsername(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 128 && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// Keys are built from the prefix, a kind and an id: no spaces, braces (Redis Cluster hash tags) or globs.
    static func isKeyPrefix(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ":") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
    }

    private func parseClient(_ value: JSONValue, at path: String, reader: ConfigReader, tenantNames: Set<String>) -> GatewayConfig.Client? {
        guard let object = reader.object(value, at: path, allowed: ["name", "apiKeySHA256", "tenants", "scopes"]) else { return nil }
        let before = reader.issues.count
        let name = reader.string(object, "name", at: path, required: true) ?? ""
        let hashText = reader.string(object, "apiKeySHA256", at: path, required: true) ?? ""
        let hash = Hex.decode(hashText.lowercased())
        if !hashText.isEmpty && (hash?.count != 32) {
            reader.fail("\(path).apiKeySHA256", "must be 64 hex characters (the SHA-256 of the key; `campaign-gateway hash-key` prints it)")
        }
        let tenants = reader.stringArray(object, "tenants", at: path, required: true) ?? []
        if object["tenants"] != nil && tenants.isEmpty { reader.fail("\(path).tenants", "must name at least one tenant") }
        for (i, tenant) in tenants.enumerated() where !tenantNames.contains(tenant) {
            reader.fail("\(path).tenants[\(i)]", "no tenant is named \(tenant)")
        }
        let scopeNames = reader.stringArray(object, "scopes", at: path, required: true) ?? []
        var scopes = Set<GatewayConfig.Scope>()
        for (i, scopeName) in scopeNames.enumerated() {
            if let scope = GatewayConfig.Scope(rawValue: scopeName) {
                scopes.insert(scope)
            } else {
                reader.fail("\(path).scopes[\(i)]", "unknown scope \(scopeName) (read, delete, update, create, control)")
            }
        }
        guard reader.issues.count == before, let hash else { return nil }
        return GatewayConfig.Client(name: name, apiKeyHash: hash, tenants: tenants, scopes: scopes)
    }

    /// An id still as the documentation writes it (`st-...`, `cs-...`, `...`): no Kore.ai id has two dots in a row.
    static func isPlaceholder(_ s: String) -> Bool {
        s.contains("..")
    }

    static func isSafeToken(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 256 && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
        }
    }
}
