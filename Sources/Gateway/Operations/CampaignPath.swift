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

    /// Taken apart on the path's UTF-8 bytes: a Character-wise split costs more than the rest of the route.
    public static func match(path: String) -> Match {
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        // "", "campaigns", type [, id [, action]]
        guard (3...5).contains(segments.count), segments[0].isEmpty, segments[1].elementsEqual("campaigns".utf8) else {
            return .noRoute
        }
        let type: CampaignType
        if segments[2].elementsEqual("voice".utf8) {
            type = .voice
        } else if segments[2].elementsEqual("sms".utf8) {
            type = .sms
        } else {
            return .noRoute
        }
        if segments.count == 3 { return .path(CampaignPath(shape: .collection, type: type, id: nil)) }
        var shape = Shape.campaign
        if segments.count == 5 {
            guard let action = Shape.actions[String(decoding: segments[4], as: UTF8.self)] else { return .noRoute }
            shape = action
        }
        guard let id = CampaignID(pathSegment: String(decoding: segments[3], as: UTF8.self)) else { return .badId }
        return .path(CampaignPath(shape: shape, type: type, id: id))
    }

    /// The route label for a matched path: its template, or `unmatched`.
    public static func label(_ path: String, _ match: Match) -> String {
        switch match {
        case .path(let matched): return matched.shape.template
        case .badId:
            // The shape is known even when the id is not well formed.
            let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            if segments.count == 5, let action = Shape.actions[String(decoding: segments[4], as: UTF8.self)] {
                return action.template
            }
            return Shape.campaign.template
        case .noRoute: return "unmatched"
        }
    }

}
