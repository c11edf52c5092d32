import HTTPServer
import KoreAdapter

/// A path under `/campaigns` taken apart: `/campaigns/{type}`, `/campaigns/{type}/{id}` or
/// `/campaigns/{type}/{id}/{start|stop|status|schedule}`. `{type}` is lowercase `voice` or `sms` only; anything else
/// is an unknown path. The id is checked by `CampaignID`, so it can never change the upstream path or query.
public struct CampaignPath: Sendable, Equatable {
    /// The path templates, also the metrics and log route labels (never a raw id: bounded label cardinality).
    public enum Shape: String, Sendable, CaseIterable {
        case collection = "/campaigns/{type}"
        case campaign = "/campaigns/{type}/{id}"
        case start = "/campaigns/{type}/{id}/start"
        case stop = "/campaigns/{type}/{id}/stop"
        case status = "/campaigns/{type}/{id}/status"
        case schedule = "/campaigns/{type}/{id}/schedule"

        public var template: String { rawValue }

        /// The last segment of the action shapes.
        static let actions: [String: Shape] = ["start": .start, "stop": .stop, "status": .status, "schedule": .schedule]
    }

    public var shape: Shape
    public var type: CampaignType
    /// Nil for the collection.
    public var id: CampaignID?

    public enum Match: Sendable, Equatable {
        case path(CampaignPath)
        case badId
        case noRoute
    }

    public static func match(path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // "", "campaigns", type [, id [, action]]
        guard (3...5).contains(segments.count), segments[0].isEmpty, segments[1] == "campaigns" else { return .noRoute }
        guard let type = CampaignType(rawValue: String(segments[2])) else { return .noRoute }
        if segments.count == 3 { return .path(CampaignPath(shape: .collection, type: type, id: nil)) }
        var shape = Shape.campaign
        if segments.count == 5 {
            guard let action = Shape.actions[String(segments[4])] else { return .noRoute }
            shape = action
        }
        guard let id = CampaignID(pathSegment: String(segments[3])) else { return .badId }
        return .path(CampaignPath(shape: shape, type: type, id: id))
    }

    /// The route label for a path: its template, or `unmatched`.
    public static func label(_ path: String) -> String {
        switch match(path: path) {
        case .path(let matched): return matched.shape.template
        case .badId:
            // The shape is known even when the id is not well formed.
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            if segments.count == 5, let action = Shape.actions[String(segments[4])] { return action.template }
            return Shape.campaign.template
        case .noRoute: return "unmatched"
        }
    }
}
