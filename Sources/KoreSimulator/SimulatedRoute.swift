import HTTPServer
import TextCoding

/// A request path matched against Kore.ai's campaign URLs in both versions:
///
/// | Resource | v1 | v2 |
/// |---|---|---|
/// | create | `POST /agentassist/api/v1/public/{sid}/campaign` | `POST /campaign/api/v2/public/{sid}/campaign` |
/// | list | `POST .../campaign/getAllCampaignDetails` | same under v2 |
/// | campaign | `GET/PUT/DELETE .../campaign/{id}` | same under v2 |
/// | status | `POST .../campaign/{id}/status` | same under v2 |
/// | trigger | `POST /campaign/api/v1/public/{sid}/campaign/{id}` | `POST /campaign/api/v2/public/{sid}/campaign/trigger/{id}` |
/// | schedule | — | `POST /campaign/api/v2/public/{sid}/campaign/schedule` |
///
/// Matching is done on whole, percent-decoded segments, independently of KoreAdapter's URL building, so a gateway
/// that builds a path wrongly (a missing slash, an encoded `/` in the id, the type where the id belongs, v1's start
/// under the CRUD prefix) is answered 404 here as Kore.ai would, rather than silently matched.
struct SimulatedRoute: Sendable {
    enum Resource: Sendable, Equatable {
        case collection
        case list
        case campaign(String)
        case status(String)
        case trigger(String)
        case schedule

        /// The methods Kore.ai serves on the resource, for 405's `Allow`.
        var allowedMethods: [String] {
            if case .campaign = self { return ["GET", "PUT", "DELETE"] }
            return ["POST"]
        }
    }

    /// Which URL scheme matched.
    let shape: APIVersionShape
    /// The `{streamId}` segment, decoded.
    let streamId: String
    let resource: Resource

    /// The campaign id of the resource, if it names one.
    var campaignId: String? {
        switch resource {
        case .campaign(let id), .status(let id), .trigger(let id): return id
        case .collection, .list, .schedule: return nil
        }
    }

    /// The route for a raw (percent-encoded) path, or nil when it is none of Kore.ai's campaign paths.
    static func match(path: String) -> SimulatedRoute? {
        // Keep empty segments: `//` or a trailing `/` must not shift the positions and match by accident.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 2, segments[0].isEmpty else { return nil }
        let rest = Array(segments.dropFirst())
        for shape in APIVersionShape.all {
            for (prefix, isTriggerService) in shape.prefixes {
                guard rest.count >= prefix.count + 2, Array(rest.prefix(prefix.count)) == prefix,
                      rest[prefix.count + 1] == "campaign" else { continue }
                guard let streamId = PercentDecoding.decode(rest[prefix.count]), !streamId.isEmpty else { return nil }
                var tail: [String] = []
                for raw in rest.dropFirst(prefix.count + 2) {
                    guard let decoded = PercentDecoding.decode(raw), !decoded.isEmpty, !decoded.contains("/") else { return nil }
                    tail.append(decoded)
                }
                guard let resource = resource(tail, shape: shape, triggerService: isTriggerService) else { return nil }
                return SimulatedRoute(shape: shape, streamId: streamId, resource: resource)
            }
        }
        return nil
    }

    private static func resource(_ tail: [String], shape: APIVersionShape, triggerService: Bool) -> Resource? {
        if triggerService {
            // v1's start/stop service knows only `/campaign/{id}`.
            return tail.count == 1 ? .trigger(tail[0]) : nil
        }
        switch tail.count {
        case 0: return .collection
        case 1:
            if tail[0] == "getAllCampaignDetails" { return .list }
            if tail[0] == "schedule" && shape.servesSchedules { return .schedule }
            return .campaign(tail[0])
        case 2:
            if tail[1] == "status" { return .status(tail[0]) }
            if tail[0] == "trigger" && shape.triggerUnderCRUDPrefix { return .trigger(tail[1]) }
            return nil
        default:
            return nil
        }
    }
}
