import GatewayCrypto
import HTTPServer
import JSONCore

/// Checks a campaign API request's credentials the way Kore.ai does, in Kore.ai's order, and answers every failure
/// with 401 in Kore.ai's error body.
///
/// Order: `auth` header; tenant by `iid` (which must also be the path's stream id); the JWT's signature with that
/// tenant's secret or one of its `additionalSecrets`, HS256 or HS512; `appId` = client id; `exp` in the future and
/// `iat` not in the future beyond the allowed skew; `jti` present and unused when the tenant enforces it; the
/// `accountId` header.
/// Messages name the cause precisely: this is a test double, and a vague 401 would only slow down whoever is
/// debugging the gateway.
struct RequestAuthenticator: Sendable {
    /// How far `iat` may lie in the future (clock skew between the gateway and Kore.ai).
    static let allowedIssuedAtSkewSeconds = 60

    /// Tenants by stream id.
    let tenants: [String: SimulatorTenant]

    /// The tenant the request authenticates as, or the 401 to answer.
    ///
    /// A `jti` is recorded as used as soon as the token's claims pass, so a replayed token fails even when the first use
    /// failed a later check.
    func authenticate(_ request: HTTPRequest, pathStreamId: String, now: Int,
                      jtis: inout [String: JTIRegistry]) -> Result<SimulatorTenant, KoreError> {
        guard let token = request.headers["auth"], !token.isEmpty else {
            return .failure(.unauthorized("auth header is missing"))
        }
        guard let iid = request.headers["iid"], !iid.isEmpty else {
            return .failure(.unauthorized("iid header is missing"))
        }
        guard let tenant = tenants[iid] else {
            return .failure(.unauthorized("Unknown iid (stream id)"))
        }
        guard iid == pathStreamId else {
            return .failure(.unauthorized("iid header does not match the stream id in the path"))
        }
        let payloadBytes: [UInt8]
        switch Self.verify(token, secrets: tenant.acceptedSecrets) {
        case .success(let verified):
            // JWT.verify admits HS256 and HS512 only; naming both here keeps the rule visible where Kore.ai's is mirrored.
            guard verified.algorithm == .hs256 || verified.algorithm == .hs512 else {
                return .failure(.unauthorized("Unsupported JWT algorithm"))
            }
            payloadBytes = verified.payload
        case .failure(.badSignature):
            return .failure(.unauthorized("Invalid JWT signature"))
        case .failure(.unsupportedAlgorithm):
            return .failure(.unauthorized("Unsupported JWT algorithm (HS256 or HS512 required)"))
        case .failure(.malformed):
            return .failure(.unauthorized("Malformed JWT"))
        }
        guard case .object(let claims)? = try? JSONReader.parse(payloadBytes) else {
            return .failure(.unauthorized("JWT payload is not a JSON object"))
        }
        if let failure = checkClaims(claims, tenant: tenant, now: now, jtis: &jtis) {
            return .failure(failure)
        }
        guard let accountId = request.headers["accountId"], !accountId.isEmpty else {
            return .failure(.unauthorized("accountId header is missing"))
        }
        guard accountId == tenant.accountId else {
            return .failure(.unauthorized("accountId header does not match the app's account"))
        }
        return .success(tenant)
    }

    /// The first claim that fails, or nil when the claims are acceptable (and a jti, if enforced, is now used).
    private func checkClaims(_ claims: JSONObject, tenant: SimulatorTenant, now: Int,
                             jtis: inout [String: JTIRegistry]) -> KoreError? {
        guard let appId = claims["appId"]?.stringValue else {
            return .unauthorized("JWT appId claim is missing")
        }
        guard appId == tenant.clientId else {
            return .unauthorized("JWT appId does not match a client of this app")
        }
        guard let exp = Self.seconds(claims["exp"]) else {
            return .unauthorized("JWT exp claim is missing or not a number")
        }
        guard exp > Double(now) else {
            return .unauthorized("JWT has expired")
        }
        if let iatValue = claims["iat"] {
            guard let iat = Self.seconds(iatValue) else {
                return .unauthorized("JWT iat claim is not a number")
            }
            guard iat <= Double(now + Self.allowedIssuedAtSkewSeconds) else {
                return .unauthorized("JWT iat lies in the future")
            }
        }
        guard tenant.enforceJti else { return nil }
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty else {
            return .unauthorized("JWT jti claim is required for this app")
        }
        let expiresAt = exp >= Double(Int.max) ? Int.max : Int(exp.rounded(.up))
        guard jtis[tenant.streamId, default: JTIRegistry()].register(jti, expiresAt: expiresAt, now: now) else {
            return .unauthorized("JWT jti has already been used (replay)")
        }
        return nil
    }

    /// The verdict for the first secret the signature matches, else the verdict for `secrets[0]` (so a malformed
    /// token or a wrong algorithm is reported as such, not as a bad signature).
    private static func verify(_ token: String, secrets: [[UInt8]]) -> Result<(algorithm: JWTAlgorithm, payload: [UInt8]), JWTVerificationError> {
        let first = JWT.verify(token, secret: secrets[0])
        guard case .failure(.badSignature) = first else { return first }
        for secret in secrets.dropFirst() {
            let result = JWT.verify(token, secret: secret)
            if case .success = result { return result }
        }
        return first
    }

    /// A NumericDate claim (RFC 7519 section 2: seconds, possibly fractional), or nil when it is not a finite number.
    private static func seconds(_ value: JSONValue?) -> Double? {
        guard let value, let seconds = value.doubleValue, seconds.isFinite else { return nil }
        return seconds
    }
}
