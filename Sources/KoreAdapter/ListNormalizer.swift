import JSONCore

/// Kore.ai's list answer -> the gateway's list envelope
/// `{"campaigns": [...], "page", "limit", "total", "totalPages", "hasMore"}`.
///
/// Kore.ai answers `{"status", "message", "data": {"results": [...], "skip", "limit", "hasMore", "totalPages",
/// "totalResults"}}`. Each result goes through the same mapper as a single campaign, so every listed campaign has
/// the full normalized shape (`null` for what the list does not return). List quirks handled here:
/// - results carry `_id` or `id` depending on version and type (the mapper takes either);
/// - voice results name the queue as `connection` (for agentless it holds the experience flow's name): the mapper
///   reads it as `voice.queueName` (progressive, preview) or `voice.experienceFlowName` (agentless);
/// - ◆ `page` and `limit` echo the request; `total` is `totalResults` (the number of results when absent);
///   `totalPages` and `hasMore` are Kore.ai's when given, else computed from `total`.
/// - A total or page count above `maxExactCount` (2^53 - 1, the largest integer a caller's JSON reader keeps exact)
///   is an unexpected shape: Kore.ai's answer is absurd, and passing it on would only move the problem to the caller.
public enum ListNormalizer {
    public struct Output: Sendable, Equatable {
        public var body: [UInt8]
        public var unknownFields: [String]
        public var unreadableFields: [String] = []
    }

    public static func normalize(upstreamBody: [UInt8], query: CampaignListQuery, type: CampaignType,
                                 version: UpstreamVersion) throws(NormalizationError) -> Output {
        let root = try UpstreamEnvelope.root(upstreamBody)
        try UpstreamEnvelope.requireSuccess(root, "list")
        guard case .object(let data)? = root["data"] else { throw .unexpectedShape("list answer has no `data` object") }
        let results: [JSONValue]
        switch data["results"] {
        case nil, .null?: results = []
        case .array(let items)?: results = items
        case let other?: throw .unexpectedShape("`data.results` is \(other.kindName), expected an array")
        }
        let mapper = UpstreamCampaignMapper(type: type, version: version)
        var campaigns: [JSONValue] = []
        var unknown: [String] = []
        var unreadable: [String] = []
        for item in results {
            guard case .object(let record) = item else { throw .unexpectedShape("a list result is \(item.kindName), expected an object") }
            let output = mapper.map(record: record, fallbackID: nil, envelopeLeftovers: [])
            campaigns.append(output.campaign)
            unknown += output.unknownFields
            unreadable += output.unreadableFields
        }
        let total = try count(data["totalResults"], "totalResults") ?? campaigns.count
        // Division first: no intermediate sum that a large total could overflow (and no division by a zero limit).
        let limit = max(query.limit, 1)
        let computedPages = total / limit + (total % limit == 0 ? 0 : 1)
        let totalPages = try count(data["totalPages"], "totalPages") ?? computedPages
        let hasMore = data["hasMore"]?.boolValue ?? (query.page < totalPages)
        let envelope: JSONValue = .object([
            "campaigns": .array(campaigns),
            "page": .int(query.page),
            "limit": .int(query.limit),
            "total": .int(total),
            "totalPages": .int(totalPages),
            "hasMore": .bool(hasMore),
        ])
        return Output(body: envelope.bytes, unknownFields: unknown, unreadableFields: unreadable)
    }

    /// 2^53 - 1.
    public static let maxExactCount = 9_007_199_254_740_991

    /// A count Kore.ai gave: nil when absent or not a non-negative integer (the fallback applies), an error when it is
    /// an integer beyond `maxExactCount`.
    private static func count(_ value: JSONValue?, _ name: String) throws(NormalizationError) -> Int? {
        guard case .number(let literal)? = value else { return nil }
        guard let number = Int(literal) else {
            // Not an integer at all (1.5, 1e3) is ignored as before; an integer too long for Int is absurd.
            if literal.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                throw .unexpectedShape("`data.\(name)` is beyond any real count")
            }
            return nil
        }
        guard number >= 0 else { return nil }
        guard number <= maxExactCount else { throw .unexpectedShape("`data.\(name)` is beyond any real count") }
        return number
    }
}
