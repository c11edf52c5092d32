import HTTPServer
import TextCoding

/// A request path matched against Kore.ai's two campaign-by-id URL schemes:
/// `/agentassist/api/v1/public/{streamId}/campaign/{id}` and `/campaign/api/v2/public/{streamId}/campaign/{id}`.
///
/// Matching is done on whole, percent-decoded segments, independently of KoreAdapter's URL building, so a gateway
/// that builds a path wrongly (a missing slash, an encoded `/` in the id, the type where the id belongs) is answered
/// 404 here as Kore.ai would, rather than silently matched.
struct SimulatedRoute: Sendable {
    /// The methods Kore.ai serves on a campaign-by-id path, for 405's `Allow`.
    static let allowedMethods = ["GET", "PUT", "DELETE"]

    /// Which URL scheme matched.
    let shape: APIVersionShape
    /// The `{streamId}` segment, decoded.
    let streamId: String
    /// The `{id}` segment, decoded.
    let campaignId: String

    /// The route for a raw (percent-encoded) path, or nil when it is not a campaign-by-id path of either version.
    static func match(path: String) -> SimulatedRoute? {
        // Keep empty segments: `//` or a trailing `/` must not shift the positions and match by accident.
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 2, segments[0].isEmpty else { return nil }
        let rest = Array(segments.dropFirst())
        for shape in APIVersionShape.all {
            let prefix = shape.pathPrefix
            guard rest.count == prefix.count + 3, Array(rest.prefix(prefix.count)) == prefix,
                  rest[prefix.count + 1] == "campaign" else { continue }
            guard let streamId = PercentDecoding.decode(rest[prefix.count]),
                  let campaignId = PercentDecoding.decode(rest[prefix.count + 2]),
                  !streamId.isEmpty, !campaignId.isEmpty else { return nil }
            return SimulatedRoute(shape: shape, streamId: streamId, campaignId: campaignId)
        }
        return nil
    }

    /// The operation for a request method on this route, or nil for a method Kore.ai does not serve here (405).
    static func operation(for method: String) -> SimulatedOperation? {
        switch method {
        case "GET": return .get
        case "PUT": return .update
        case "DELETE": return .delete
        default: return nil
        }
    }
}
