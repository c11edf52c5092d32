import JSONCore

/// A normalized list query -> Kore.ai's `getAllCampaignDetails` body:
/// `{"type", "limit", "skip", "filters": {"status": ["Ready"], "priority": [5], "dialingMode": ["Preview"]},
///   "sortBy": {"updatedAt": "desc"}}`.
///
/// ◆ Paging is sent as `skip` and `limit` only: Kore.ai's pages also list `page` without saying how it combines
/// with `skip`, and `skip` alone is unambiguous. ◆ Priorities are numbers in the filter (Kore.ai's list pages),
/// unlike the string `"5"` of campaign bodies. Empty filters are left out.
public enum ListRequestTranslator {
    public static func upstreamBody(_ query: CampaignListQuery, type: CampaignType) -> [UInt8] {
        upstreamValue(query, type: type).bytes
    }

    public static func upstreamValue(_ query: CampaignListQuery, type: CampaignType) -> JSONValue {
        var body: JSONObject = [
            "type": .string(type.rawValue),
            "limit": .int(query.limit),
            "skip": .int(query.skip),
        ]
        var filters = JSONObject()
        if !query.statuses.isEmpty { filters["status"] = .array(query.statuses.map { .string(capitalized($0)) }) }
        if !query.priorities.isEmpty { filters["priority"] = .array(query.priorities.map { .int($0) }) }
        if !query.dialingModes.isEmpty {
            filters["dialingMode"] = .array(query.dialingModes.compactMap {
                KoreEnumSpelling.upstream($0, in: KoreEnumSpelling.dialingMode).map(JSONValue.string)
            })
        }
        if !filters.isEmpty { body["filters"] = .object(filters) }
        if let sort = query.sort {
            body["sortBy"] = .object([sort.rawValue: .string(query.descending ? "desc" : "asc")])
        }
        return .object(body)
    }

    /// `ready` -> `Ready`, as Kore.ai's status filter spells its values.
    static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }
}
