/// An operation on Kore.ai's campaign API, as the gateway calls it.
///
/// Each case has one row per version in `UpstreamScheme`'s route table (or none, where Kore.ai documents the
/// operation for one version only) and, where it answers with a campaign, a past-tense verb for the success message.
public enum CampaignOperation: String, Sendable, CaseIterable {
    case delete
    case update
    case get
    case create
    case list
    case start
    case stop
    case status
    /// Enable the campaign's schedule (daily or weekly); Kore.ai keys it by campaign name.
    case schedule
    /// Disable the campaign's schedule.
    case unschedule

    /// The verb used in the gateway's own success message when Kore.ai sends none:
    /// "Campaign <name> deleted".
    var pastTense: String {
        switch self {
        case .delete: return "deleted"
        case .update: return "updated"
        case .get: return "retrieved"
        case .create: return "created"
        case .list: return "listed"
        case .start: return "started"
        case .stop: return "stopped"
        case .status: return "status retrieved"
        case .schedule: return "scheduled"
        case .unschedule: return "schedule disabled"
        }
    }
}
