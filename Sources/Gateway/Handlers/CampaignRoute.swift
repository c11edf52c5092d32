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

    /// Taken apart on the path's UTF-8 bytes (a Character-wise `split` cost more than the rest of the route).
    public static func match(path: String) -> Match {
        var path = path
        return path.withUTF8 { bytes -> Match in
            // "/campaigns/" type "/" id, nothing after the id.
            let prefix = "/campaigns/".utf8
            guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return .noRoute }
            let rest = UnsafeBufferPointer(rebasing: bytes[prefix.count...])
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return .noRoute }
            let typeBytes = UnsafeBufferPointer(rebasing: rest[..<slash])
            let idBytes = UnsafeBufferPointer(rebasing: rest[(slash + 1)...])
            guard !idBytes.contains(UInt8(ascii: "/")) else { return .noRoute }
            let type: CampaignType
            if typeBytes.elementsEqual("voice".utf8) {
                type = .voice
            } else if typeBytes.elementsEqual("sms".utf8) {
                type = .sms
            } else {
                return .noRoute
            }
            guard let id = CampaignID(pathSegment: String(decoding: idBytes, as: UTF8.self)) else { return .badId }
            return .campaign(CampaignRoute(type: type, id: id))
        }
    }

    /// The route label for logs and metrics: a template, never the raw id (bounded label cardinality).
    public static let template = "/campaigns/{type}/{id}"
}
