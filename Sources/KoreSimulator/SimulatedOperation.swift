/// What a campaign-by-id request asks for.
enum SimulatedOperation: Sendable {
    case get
    case update
    case delete

    /// Delete and update name the campaign's type in the query; get does not.
    var requiresCampaignType: Bool { self != .get }

    /// The operation for a request method on a campaign-by-id path, or nil for a method Kore.ai does not serve (405).
    init?(method: String) {
        switch method {
        case "GET": self = .get
        case "PUT": self = .update
        case "DELETE": self = .delete
        default: return nil
        }
    }
}
