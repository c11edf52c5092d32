import JSONCore

/// One stored campaign: Kore.ai's document (with `_id`) and the type it was created as.
///
/// Kore.ai's answers do not carry the type, but Kore.ai knows it (a DELETE with the wrong `campaignType` is refused), so
/// the record keeps it beside the document.
struct CampaignRecord: Sendable, Equatable {
    /// The campaign id (`cd-...`), also `fields["_id"]`.
    let id: String
    /// Voice or SMS; fixed for the record's life.
    let type: SimulatedCampaignType
    /// The stored document in Kore.ai's field names and order, `_id` first, never `campaignType`.
    private(set) var fields: JSONObject

    /// Builds a record from a seed's `data` object; nil when it has no string `_id`.
    init?(document: JSONObject, type: SimulatedCampaignType) {
        guard let id = document["_id"]?.stringValue, !id.isEmpty else { return nil }
        self.id = id
        self.type = type
        self.fields = document
    }

    /// A record created through the API: `_id` first, then the body's members (never `campaignType`).
    init(createdFrom body: JSONObject, id: String, type: SimulatedCampaignType, status: String, now: String) {
        self.id = id
        self.type = type
        var document = JSONObject()
        document["_id"] = .string(id)
        for (key, value) in body where !Self.ignoredOnUpdate.contains(key) { document[key] = value }
        Self.applyDerivedFields(&document, body: body)
        if let name = body["name"]?.stringValue { document["lname"] = .string(name.lowercased()) }
        document["status"] = .string(status)
        if document["schedule"] == nil {
            document["schedule"] = .object(["isSchedulingEnabled": .bool(false), "isRecurrenceEnabled": .bool(false)])
        }
        document["createdAt"] = .string(now)
        document["updatedAt"] = .string(now)
        self.fields = document
    }

    /// Kore.ai's state of the campaign (`Ready`, `Active`, ...).
    var status: String { fields["status"]?.stringValue ?? "" }

    /// Sets one top-level member (status, schedule, instance id) and, when given, `updatedAt`.
    mutating func set(_ key: String, _ value: JSONValue, updatedAt: String? = nil) {
        fields[key] = value
        if let updatedAt { fields["updatedAt"] = .string(updatedAt) }
    }

    /// The campaign's display name, for Kore.ai's success messages.
    var name: String { fields["name"]?.stringValue ?? id }

    /// Fields a PUT body never sets: identity, bookkeeping and values Kore.ai derives itself.
    static let ignoredOnUpdate: Set<String> = [
        "_id", "id", "lname", "createdAt", "updatedAt", "status", "campaignInstanceId",
        "campaignType", "isFiltersEnabled", "isImported", "experienceFlow",
    ]

    /// What Kore.ai derives from a written body: the experience flow's id from its name (`experienceFlowName` in,
    /// `experienceFlow: "cf-..."` out, as its create-agentless and get pages show), and "no DNC list" from the
    /// empty `dncLists: []` (stored as no member at all, which is how a campaign created without one looks).
    static func applyDerivedFields(_ document: inout JSONObject, body: JSONObject) {
        if let flow = body["experienceFlowName"]?.stringValue, !flow.isEmpty {
            document["experienceFlow"] = .string(ExperienceFlowID.id(forName: flow))
        }
        if case .array(let items)? = body["dncLists"], items.isEmpty {
            document["dncLists"] = nil
        }
    }

    /// Fields kept from the stored record across a PUT (a PUT replaces the writable fields only).
    static let keptOnUpdate: [String] = ["status", "createdAt", "updatedAt", "campaignInstanceId", "isFiltersEnabled", "isImported"]

    /// Replaces the writable fields with the body's, as a full replacement.
    ///
    /// - Parameters:
    ///   - body: the validated PUT body.
    ///   - preserving: fields the calling version cannot see; kept from the old record when the body lacks them, so a
    ///     v1 PUT does not silently wipe a v2 record's DNC list, and a queue nobody can read back is not lost.
    ///   - preservingStrategy: the same for members of `dialingStrategy` (v2's `useSystemMappings` seen through v1).
    ///   - updatedAt: the new `updatedAt` value.
    mutating func replaceWritableFields(with body: JSONObject, preserving: Set<String>,
                                        preservingStrategy: Set<String> = [], updatedAt: String) {
        let old = fields
        var next = JSONObject()
        next["_id"] = .string(id)
        if let name = body["name"] {
            next["name"] = name
            if let text = name.stringValue { next["lname"] = .string(text.lowercased()) }
        }
        for (key, value) in body where !Self.ignoredOnUpdate.contains(key) && next[key] == nil {
            next[key] = value
        }
        for key in preserving.sorted() where next[key] == nil {
            if let value = old[key] { next[key] = value }
        }
        if case .object(var strategy)? = next["dialingStrategy"], case .object(let oldStrategy)? = old["dialingStrategy"] {
            for key in preservingStrategy.sorted() where strategy[key] == nil {
                if let value = oldStrategy[key] { strategy[key] = value }
            }
            next["dialingStrategy"] = .object(strategy)
        }
        if next["experienceFlow"] == nil, let flow = old["experienceFlow"] { next["experienceFlow"] = flow }
        Self.applyDerivedFields(&next, body: body)
        for key in Self.keptOnUpdate {
            if let value = old[key] { next[key] = value }
        }
        next["updatedAt"] = .string(updatedAt)
        fields = next
    }
}
