import GatewayCrypto
import HTTPServer
import GatewayConfiguration

/// Who is calling and for which tenant, once the API key, scope and tenant binding have been checked.
public struct AuthenticatedCaller: Sendable {
    public var client: GatewayConfig.Client
    public var tenant: GatewayConfig.Tenant
    /// The tenant's runtime in the state whose authenticator admitted the caller, found with the tenant (nil for an
    /// authenticator built without the runtimes): the request's calls use it without looking the name up again.
    var runtime: TenantRuntime?
}

/// A client the key check found, with its scopes as bits (`ScopeSet`) and its tenants found by name, both made when
/// the configuration was read: authorizing a request neither hashes a scope nor a tenant's name.
struct IdentifiedClient: Sendable {
    var client: GatewayConfig.Client
    var scopes: ScopeSet
    /// `client.tenants[i]`'s configuration and runtime, nil for a name the configuration has no tenant of.
    var tenants: [BoundTenant?]
}

/// A tenant's configuration and runtime, one reference (a pair of values cost a copy of both).
final class BoundTenant: Sendable {
    let config: GatewayConfig.Tenant
    let runtime: TenantRuntime?

    init(config: GatewayConfig.Tenant, runtime: TenantRuntime?) {
        self.config = config
        self.runtime = runtime
    }
}

/// The two fields the caller checks read, each as its first value and how many fields carry it, in one walk over
/// the request's fields (a second walk for `X-Tenant` compared every name again).
struct CallerFields {
    var authorization: (first: String?, count: Int) = (nil, 0)
    var tenant: (first: String?, count: Int) = (nil, 0)

    init(_ headers: HTTPHeaders) {
        // Lengths first, as `HTTPHeaders.firstValueAndCount` does: most names are neither, and their length says so.
        // By index over the fields' storage: a `for field in` loop copied every field (two retains and releases each).
        headers.fields.withUnsafeBufferPointer { fields in
            for i in fields.indices {
                switch fields[i].name.utf8.count {
                case 13 where Self.named(fields[i].name, "Authorization"):
                    if authorization.count == 0 { authorization.first = fields[i].value }
                    authorization.count += 1
                case 8 where Self.named(fields[i].name, "X-Tenant"):
                    if tenant.count == 0 { tenant.first = fields[i].value }
                    tenant.count += 1
                default:
                    break
                }
            }
        }
    }

    /// Whether `name` is `canonical` in any case. The server hands a name sent in its usual spelling as that very
    /// literal (a small string), so plain equality, two words compared, answers nearly every time; any other
    /// spelling is compared byte by byte as before.
    @inline(__always)
    private static func named(_ name: String, _ canonical: String) -> Bool {
        name == canonical || name.lowercasedASCIIEquals(canonical)
    }
}

/// Checks `Authorization: Bearer <key>` against the configured SHA-256 key hashes.
public struct CallerAuthenticator: Sendable {
    private let clients: [IdentifiedClient]
    private let tenantsByName: [String: BoundTenant]

    /// `runtimes`: the state's tenant runtimes by name, handed to each caller with its tenant.
    public init(config: GatewayConfig, runtimes: [String: TenantRuntime] = [:]) {
        let tenantsByName = Dictionary(config.tenants.map { ($0.name, BoundTenant(config: $0, runtime: runtimes[$0.name])) },
                                       uniquingKeysWith: { first, _ in first })
        self.tenantsByName = tenantsByName
        clients = config.clients.map { Self.identified($0, tenantsByName: tenantsByName) }
    }

    /// The client holding the key in `Authorization`, or a 401 problem. Runs before anything else under `/campaigns`.
    /// With the connection's `memo`, a key sent again on the same connection is not hashed again (`APIKeyDigest`).
    public func identify(_ headers: HTTPHeaders, memo: HTTPConnectionMemo? = nil) -> Result<GatewayConfig.Client, Problem> {
        identifyClient(CallerFields(headers), memo: memo).map(\.client)
    }

    /// `identify` on the request's fields read once (`authorize` takes its `X-Tenant` from them), with the client's
    /// scopes as bits.
    func identifyClient(_ fields: CallerFields, memo: HTTPConnectionMemo? = nil) -> Result<IdentifiedClient, Problem> {
        let authorization = fields.authorization
        // The key is hashed from the field's own bytes: no string or array of it is made.
        var value = authorization.first ?? ""
        let hash = authorization.count == 1 ? value.withUTF8 { bytes -> [UInt8]? in
            Self.bearerTokenRange(bytes).map { APIKeyDigest.of(UnsafeBufferPointer(rebasing: bytes[$0]), memo: memo) }
        } : nil
        guard let hash else {
            return .failure(Self.unauthorized(authorization.count == 0 ? "send Authorization: Bearer <api-key>" : "the Authorization header is not a single Bearer credential"))
        }
        // Compare against every client without stopping early, so timing does not reveal how many keys exist or which matched.
        var found: IdentifiedClient?
        for client in clients where ConstantTime.equals(client.client.apiKeyHash, hash) {
            found = client
        }
        guard let found else { return .failure(Self.unauthorized("the API key is not valid")) }
        return .success(found)
    }

    /// The tenant this call uses, and the scope check. `X-Tenant` is needed when the key is bound to several tenants.
    public func authorize(_ client: GatewayConfig.Client, scope: GatewayConfig.Scope, headers: HTTPHeaders) -> Result<AuthenticatedCaller, Problem> {
        authorize(Self.identified(client, tenantsByName: tenantsByName), scope: scope,
                  requestedTenant: headers.firstValueAndCount("X-Tenant"))
    }

    /// `authorize` for a client `identifyClient` found (its scopes already bits), with the request's `X-Tenant`
    /// fields as `CallerFields` found them.
    func authorize(_ identified: IdentifiedClient, scope: GatewayConfig.Scope,
                   requestedTenant requested: (first: String?, count: Int)) -> Result<AuthenticatedCaller, Problem> {
        let client = identified.client
        guard identified.scopes.contains(scope) else {
            return .failure(Problem(.insufficientScope, "this operation needs the '\(scope.rawValue)' scope"))
        }
        let index: Int
        if requested.count > 1 {
            return .failure(Problem(.tenantRequired, "send X-Tenant once"))
        } else if let name = requested.first {
            // Unknown and not-allowed tenants get the same answer, so tenants cannot be enumerated.
            guard let found = client.tenants.firstIndex(of: name) else { return .failure(Problem(.tenantForbidden, "this API key may not use that tenant")) }
            index = found
        } else if client.tenants.count == 1 {
            index = 0
        } else {
            return .failure(Problem(.tenantRequired, "this API key is bound to several tenants; send X-Tenant: <name>"))
        }
        guard index < identified.tenants.count, let tenant = identified.tenants[index] else {
            return .failure(Problem(.tenantForbidden, "this API key may not use that tenant"))
        }
        return .success(AuthenticatedCaller(client: client, tenant: tenant.config, runtime: tenant.runtime))
    }

    /// `client` with its scopes as bits and its tenants looked up once.
    private static func identified(_ client: GatewayConfig.Client, tenantsByName: [String: BoundTenant]) -> IdentifiedClient {
        IdentifiedClient(client: client, scopes: ScopeSet(client.scopes), tenants: client.tenants.map { tenantsByName[$0] })
    }

    static func bearerToken(_ value: String) -> String? {
        var value = value
        return value.withUTF8 { bytes in
            bearerTokenRange(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        }
    }

    /// Where the token of `Bearer <token>` is in the field's bytes, or nil when the field is not that.
    static func bearerTokenRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        // RFC 6750 2.1: the scheme is case-insensitive; the token is b64token characters. Read on the UTF-8 bytes in
        // one pass: spaces around and between two words, nothing else. The scheme is six bytes and a space, so
        // anything shorter than that and one token byte is not a credential.
        let n = bytes.count
        var i = 0
        while i < n && bytes[i] == 0x20 { i += 1 }
        guard n - i >= 8, bytes[i] | 0x20 == UInt8(ascii: "b"), bytes[i + 1] | 0x20 == UInt8(ascii: "e"),
              bytes[i + 2] | 0x20 == UInt8(ascii: "a"), bytes[i + 3] | 0x20 == UInt8(ascii: "r"),
              bytes[i + 4] | 0x20 == UInt8(ascii: "e"), bytes[i + 5] | 0x20 == UInt8(ascii: "r"),
              bytes[i + 6] == 0x20 else { return nil }
        i += 7
        while i < n && bytes[i] == 0x20 { i += 1 }
        let start = i
        while i < n && bytes[i] != 0x20 {
            // Visible ASCII only: a control byte, DEL or a non-ASCII byte refuses the credential.
            guard bytes[i] > 0x20 && bytes[i] < 0x7F else { return nil }
            i += 1
        }
        let end = i
        while i < n && bytes[i] == 0x20 { i += 1 }
        guard i == n, end > start, end - start <= 512 else { return nil }
        return start..<end
    }

    static func unauthorized(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, detail)
        problem.headers.add("WWW-Authenticate", "Bearer realm=\"campaign-gateway\"")
        return problem
    }
}
