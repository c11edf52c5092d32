/// One route's upstream call for one tenant and campaign type with everything but the campaign id (or name), the
/// token and the body already in place: built once per tenant, not per call.
struct UpstreamRequestTemplate: Sendable {
    /// Which part of the URL a call fills in.
    enum Variable: Sendable, Equatable {
        case none
        /// The validated campaign id, a path segment (safe as it is; see `CampaignID`).
        case campaignID
        /// The campaign name, a query value (percent-encoded per call).
        case campaignName
    }

    let method: String
    /// `scheme://host[:port]` of the tenant's base URL.
    let origin: String
    /// The path and query up to the variable part (all of them when there is none).
    let before: String
    /// The path and query after the variable part.
    let after: String
    let variable: Variable
    let sendsBody: Bool

    /// Whether `pathAndQuery` gives a path for these arguments.
    func accepts(id: CampaignID?, campaignName: String?) -> Bool {
        switch variable {
        case .none: return true
        case .campaignID: return id != nil
        case .campaignName: return campaignName != nil
        }
    }

    /// The path and query of one call; nil when the row needs an id or a name that is not given.
    func pathAndQuery(id: CampaignID?, campaignName: String?) -> String? {
        let middle: String
        switch variable {
        case .none: return before
        case .campaignID:
            guard let id else { return nil }
            middle = id.value
        case .campaignName:
            guard let campaignName else { return nil }
            middle = UpstreamRoute.escapeQueryValue(campaignName)
        }
        var text = ""
        text.reserveCapacity(before.utf8.count + middle.utf8.count + after.utf8.count)
        text += before
        text += middle
        text += after
        return text
    }
}
