/// What a campaign-by-id request asks for.
enum SimulatedOperation: Sendable {
    case get
    case update
    case delete

    /// Delete and update name the campaign's type in the query; get does not.
    var requiresCampaignType: Bool { self != .get }
}
