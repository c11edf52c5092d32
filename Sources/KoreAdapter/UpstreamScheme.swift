/// Every v1/v2 difference in Kore.ai's URLs, headers and query parameters, in one table.
///
/// Decisions applied here:
/// - The v1 delete path takes the campaign **id** (its page prints `{{campaignType}}` but names `campaignId`).
/// - `campaignType` is always the route's real type (Kore.ai's v2 voice pages say `Use "sms"`).
/// - delete and update carry `campaignType` in the query (the PUT body carries it too, see
///   `CampaignWriteTranslator`); get does not, as Kore.ai's get-by-id pages show none.
/// - v2 adds `accountId` to every query.
/// - Headers are the same for both versions: `auth`, `iid`, `accountId`, and `Content-Type: application/json` on
///   every call, bodiless ones included.
public enum UpstreamScheme {
    /// Builds the upstream call for `operation` on campaign `id` of `type`, for `tenant`, authenticated by `token`.
    ///
    /// `body` is the already translated upstream JSON (see `CampaignWriteTranslator`) for operations that send one;
    /// it is dropped for bodiless operations (delete, get). This function cannot fail: the id is validated by
    /// construction and the tenant by `UpstreamTenant.configurationProblems()` when the configuration is loaded.
    public static func request(operation: CampaignOperation, type: CampaignType, id: CampaignID, tenant: UpstreamTenant,
                               token: String, body: [UInt8]?) -> UpstreamRequest {
        let route = route(for: operation, version: tenant.version)
        return UpstreamRequest(
            method: route.method,
            url: route.url(tenant: tenant, id: id, type: type),
            headers: headers(tenant: tenant, token: token),
            body: route.sendsBody ? (body ?? Array("{}".utf8)) : nil)
    }

    /// The headers every Kore.ai call carries, in a fixed order (tests and dry runs compare them exactly).
    public static func headers(tenant: UpstreamTenant, token: String) -> [(name: String, value: String)] {
        [
            (name: "auth", value: token),
            (name: "iid", value: tenant.streamId),
            (name: "accountId", value: tenant.accountId),
            (name: "Content-Type", value: "application/json"),
        ]
    }

    /// The route table. An exhaustive switch rather than a dictionary, so adding an operation without its rows is a
    /// compile error, not a runtime miss.
    static func route(for operation: CampaignOperation, version: UpstreamVersion) -> UpstreamRoute {
        switch (operation, version) {
        case (.delete, .v1):
            return UpstreamRoute(method: "DELETE", apiRoot: UpstreamRoute.v1Root, path: [.literal("campaign"), .campaignID],
                                 query: [.campaignType], sendsBody: false)
        case (.delete, .v2):
            return UpstreamRoute(method: "DELETE", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign"), .campaignID],
                                 query: [.accountId, .campaignType], sendsBody: false)
        case (.update, .v1):
            return UpstreamRoute(method: "PUT", apiRoot: UpstreamRoute.v1Root, path: [.literal("campaign"), .campaignID],
                                 query: [.campaignType], sendsBody: true)
        case (.update, .v2):
            return UpstreamRoute(method: "PUT", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign"), .campaignID],
                                 query: [.accountId, .campaignType], sendsBody: true)
        case (.get, .v1):
            return UpstreamRoute(method: "GET", apiRoot: UpstreamRoute.v1Root, path: [.literal("campaign"), .campaignID],
                                 query: [], sendsBody: false)
        case (.get, .v2):
            return UpstreamRoute(method: "GET", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign"), .campaignID],
                                 query: [.accountId], sendsBody: false)
        // Rows to add with their operations:
        // create v1: POST  v1Root [campaign]                        [campaignType]
        // create v2: POST  v2Root [campaign]                        [accountId, campaignType]
        // list   v1: POST  v1Root [campaign, getAllCampaignDetails] []                        (filters in the body)
        // list   v2: POST  v2Root [campaign, getAllCampaignDetails] [accountId]
        // start  v1: POST  /campaign/api/v1/public [campaign, id]   [campaignType, literal(trigger, play)], body {}
        // start  v2: POST  v2Root [campaign, trigger, id]           [accountId, campaignType, literal(trigger, play)]
        }
    }
}
