import HTTPServer
import KoreAdapter

/// `/campaigns/{type}/{id}` taken apart. `{type}` is lowercase `voice` or `sms` only; anything else is
/// an unknown path. The id is checked by `CampaignID`, so it can never change the upstream path or query.
public struct CampaignRoute: Sendable, Equatable {
    public var type: CampaignType
    public var id: CampaignID

    public enum Match: Sendable, Equatable {
        case campaign(CampaignRoute)
        case badId
        case noRoute
    }

    public static func match(path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "campaigns", type, id
        guard segments.count == 4, segments[0].isEmpty, segments[1] == "campaigns" else { return .noRoute }
        guard let type = CampaignType(rawValue: String(segments[2])) else { return .noRoute }
        guard let id = CampaignID(pathSegment: String(segments[3])) else { return .badId }
        return .campaign(CampaignRoute(type: type, id: id))
    }

    /// The route label for logs and metrics: a template, never the raw id (bounded label cardinality).
    public static let template = "/campaigns/{type}/{id}"
}
