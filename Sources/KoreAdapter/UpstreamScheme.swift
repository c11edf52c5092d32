/// Every v1/v2 difference in Kore.ai's URLs, headers and query parameters, in one table.
///
/// Decisions applied here (docs/KORE-MAPPING.md lists them with the pages that disagree):
/// - The v1 delete path takes the campaign **id** (its page prints `{{campaignType}}` but names `campaignId`).
/// - `campaignType` is always the route's real type (Kore.ai's v2 voice pages say `Use "sms"`).
/// - delete, update, create, start and stop carry `campaignType` in the query (write bodies carry it too, see
///   `CampaignWriteTranslator`); get, list, status and schedule do not, as Kore.ai's pages show none.
/// - v2 adds `accountId` to every query, the schedule calls included (their page omits it while every other v2
///   page has it; an extra parameter is harmless, a missing required one is not).
/// - v1 start/stop live under `/campaign/api/v1/public` (not `/agentassist/...`); v2 start/stop under
///   `.../campaign/trigger/{id}` (the canonical of the three spellings on Kore.ai's pages).
/// - Schedules exist in v2 only: v1 has no row, and the gateway answers 501 there.
/// - Headers are the same for both versions: `auth`, `iid`, `accountId`, and `Content-Type: application/json` on
///   every call, bodiless ones included.
public enum UpstreamScheme {
    /// Builds the upstream call for `operation` on campaign `id` (or, for schedules, `campaignName`) of `type`, for
    /// `tenant`, authenticated by `token`.
    ///
    /// `body` is the already translated upstream JSON for operations that send one (`{}` when none is given); it is
    /// dropped for bodiless operations (delete, get). Nil when the tenant's version has no such operation
    /// (`supports`) or the row needs an id or a name that was not given. The id is validated by construction and the
    /// tenant by `UpstreamTenant.configurationProblems()` when the configuration is loaded; names are percent-encoded.
    /// The gateway's calls come from `UpstreamTenantRoutes`, which builds the fixed parts of these once per tenant.
    public static func request(operation: CampaignOperation, type: CampaignType, id: CampaignID? = nil,
                               campaignName: String? = nil, tenant: UpstreamTenant,
                               token: String, body: [UInt8]?) -> UpstreamRequest? {
        guard let route = route(for: operation, version: tenant.version) else { return nil }
        let template = route.template(tenant: tenant, type: type)
        guard let pathAndQuery = template.pathAndQuery(id: id, campaignName: campaignName) else { return nil }
        return UpstreamRequest(
            method: route.method,
            origin: template.origin,
            pathAndQuery: pathAndQuery,
            headers: headers(tenant: tenant, token: token),
            body: route.sendsBody ? (body ?? Array("{}".utf8)) : nil)
    }

    /// Whether Kore.ai documents `operation` for `version` (schedules are v2 only).
    public static func supports(_ operation: CampaignOperation, version: UpstreamVersion) -> Bool {
        route(for: operation, version: version) != nil
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
    /// compile error, not a runtime miss. `nil` = Kore.ai documents no such call for that version.
    static func route(for operation: CampaignOperation, version: UpstreamVersion) -> UpstreamRoute? {
        let campaign: [UpstreamRoute.PathPart] = [.literal("campaign"), .campaignID]
        switch (operation, version) {
        case (.delete, .v1):
            return UpstreamRoute(method: "DELETE", apiRoot: UpstreamRoute.v1Root, path: campaign, query: [.campaignType], sendsBody: false)
        case (.delete, .v2):
            return UpstreamRoute(method: "DELETE", apiRoot: UpstreamRoute.v2Root, path: campaign, query: [.accountId, .campaignType], sendsBody: false)
        case (.update, .v1):
            return UpstreamRoute(method: "PUT", apiRoot: UpstreamRoute.v1Root, path: campaign, query: [.campaignType], sendsBody: true)
        case (.update, .v2):
            return UpstreamRoute(method: "PUT", apiRoot: UpstreamRoute.v2Root, path: campaign, query: [.accountId, .campaignType], sendsBody: true)
        case (.get, .v1):
            return UpstreamRoute(method: "GET", apiRoot: UpstreamRoute.v1Root, path: campaign, query: [], sendsBody: false)
        case (.get, .v2):
            return UpstreamRoute(method: "GET", apiRoot: UpstreamRoute.v2Root, path: campaign, query: [.accountId], sendsBody: false)
        case (.create, .v1):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v1Root, path: [.literal("campaign")], query: [.campaignType], sendsBody: true)
        case (.create, .v2):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign")], query: [.accountId, .campaignType], sendsBody: true)
        case (.list, .v1):
            // Filters, paging and sorting travel in the body (ListRequestTranslator).
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v1Root, path: [.literal("campaign"), .literal("getAllCampaignDetails")],
                                 query: [], sendsBody: true)
        case (.list, .v2):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign"), .literal("getAllCampaignDetails")],
                                 query: [.accountId], sendsBody: true)
        case (.start, .v1), (.stop, .v1):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v1TriggerRoot, path: campaign,
                                 query: [.campaignType, trigger(operation)], sendsBody: true)
        case (.start, .v2), (.stop, .v2):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign"), .literal("trigger"), .campaignID],
                                 query: [.accountId, .campaignType, trigger(operation)], sendsBody: true)
        case (.status, .v1):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v1Root, path: campaign + [.literal("status")],
                                 query: [.literal(name: "view", value: "status")], sendsBody: true)
        case (.status, .v2):
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v2Root, path: campaign + [.literal("status")],
                                 query: [.accountId, .literal(name: "view", value: "status")], sendsBody: true)
        case (.schedule, .v2), (.unschedule, .v2):
            let enable = operation == .schedule ? "true" : "false"
            return UpstreamRoute(method: "POST", apiRoot: UpstreamRoute.v2Root, path: [.literal("campaign"), .literal("schedule")],
                                 query: [.accountId, .literal(name: "enableSchedule", value: enable), .campaignName], sendsBody: true)
        case (.schedule, .v1), (.unschedule, .v1):
            return nil
        }
    }

    private static func trigger(_ operation: CampaignOperation) -> UpstreamRoute.QueryPart {
        .literal(name: "trigger", value: operation == .start ? "play" : "stop")
    }
}
