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
        let total = nonNegative(data["totalResults"]) ?? campaigns.count
        let computedPages = total == 0 ? 0 : (total + query.limit - 1) / query.limit
        let totalPages = nonNegative(data["totalPages"]) ?? computedPages
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

    private static func nonNegative(_ value: JSONValue?) -> Int? {
        guard let number = value?.intValue, number >= 0 else { return nil }
        return number
    }
}
