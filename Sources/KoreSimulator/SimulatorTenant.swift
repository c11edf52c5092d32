/// One Kore.ai tenant (a bot / application) as the simulator knows it: the identifiers a caller must present and the
/// client secret its JWTs must be signed with.
///
/// Kore.ai finds the tenant by the `iid` header (the stream id), so `streamId` must be unique among a simulator's tenants;
/// when two tenants share one, the first wins.
public struct SimulatorTenant: Sendable {
    /// The stream (bot) id: the `iid` header and the `{streamId}` path segment of both URL schemes.
    public var streamId: String
    /// The account id: the `accountId` header on every call and the `accountId` query parameter of v2 calls.
    public var accountId: String
    /// The client id of the API-scope app; a token's payload must carry it as `appId`.
    public var clientId: String
    /// The client secret, the HMAC key of HS256/HS512 tokens.
    public var secret: [UInt8]
    /// When true, tokens without a `jti` claim are refused and a `jti` seen before is refused as a replay.
    public var enforceJti: Bool
    /// Further client secrets whose signatures are accepted too (default none): a secret rotation, during which
    /// tokens signed with the old and the new secret are both valid, as when an app holds two client credentials.
    public var additionalSecrets: [[UInt8]]

    /// Creates a tenant.
    public init(streamId: String, accountId: String, clientId: String, secret: [UInt8], enforceJti: Bool,
                additionalSecrets: [[UInt8]] = []) {
        self.streamId = streamId
        self.accountId = accountId
        self.clientId = clientId
        self.secret = secret
        self.enforceJti = enforceJti
        self.additionalSecrets = additionalSecrets
    }

    /// Every secret a token may be signed with: `secret` first, then `additionalSecrets`.
    var acceptedSecrets: [[UInt8]] { [secret] + additionalSecrets }
}
