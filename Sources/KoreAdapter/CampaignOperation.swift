/// An operation on one campaign, as the gateway's routes name it.
///
/// Only the per-campaign operations exist so far. create, list, start and stop will be added as cases; each then
/// needs one row per version in `UpstreamScheme`'s route table and, where it answers with a campaign, a past-tense
/// verb for the success message below. Nothing else has to change.
public enum CampaignOperation: String, Sendable {
    case delete
    case update
    case get

    /// The verb used in the gateway's own success message when Kore.ai sends none:
    /// "Campaign <name> deleted".
    var pastTense: String {
        switch self {
        case .delete: return "deleted"
        case .update: return "updated"
        case .get: return "retrieved"
        }
    }
}
