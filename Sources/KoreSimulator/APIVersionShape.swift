import JSONCore

/// Every difference between Kore.ai's v1 and v2 campaign APIs that the simulator reproduces, in one table.
///
/// Handlers never ask "is this v1?"; they read a field of the shape the route matched. Adding a quirk means adding a
/// column here, not an `if` somewhere else.
struct APIVersionShape: Sendable {
    /// How the record's id appears in a PUT answer.
    enum UpdateIdStyle: Sendable {
        /// Seed 004 (v1): top-level `id`, `data.id`, and no `data._id`.
        case topLevelAndDataId
        /// v2: `data._id`, like every other answer.
        case dataUnderscoreId
    }

    /// How `enableMachineDetect` is written in a PUT body.
    enum MachineDetectionRule: Sendable {
        /// v1: a boolean, for every dialing mode.
        case boolean
        /// v2: `no | detect | disconnect` for Agentless, absent for Progressive and Preview.
        case agentlessEnum
    }

    /// "v1" or "v2", for messages and the call log.
    let name: String
    /// The path segments before `{streamId}`.
    let pathPrefix: [String]
    /// v2 repeats the account id as a query parameter on every call.
    let requiresAccountIdQuery: Bool
    /// Record fields this version's answers never show (v2-only data seen through v1).
    let hiddenFields: Set<String>
    /// `dialingStrategy` fields this version's answers never show.
    let hiddenStrategyFields: Set<String>
    /// Fields this version always shows, with the value used when the record has none (a record seeded from a v1 page
    /// still looks like a v2 record through v2).
    let defaultedFields: [(String, JSONValue)]
    /// The PUT answer's id placement.
    let updateIdStyle: UpdateIdStyle
    /// v2 voice updates must name the DNC list.
    let voiceUpdateRequiresDncLists: Bool
    /// The `enableMachineDetect` rule for updates.
    let machineDetection: MachineDetectionRule
    /// The path segments before `{streamId}` of the start/stop service, when it is not `pathPrefix` (v1).
    let triggerPathPrefix: [String]?
    /// v2 addresses start/stop as `.../campaign/trigger/{id}` under its one prefix.
    let triggerUnderCRUDPrefix: Bool
    /// Kore.ai documents schedules for v2 only.
    let servesSchedules: Bool
    /// How a voice create is answered: v1 preview answers only `{id, data: {campId}}`.
    let previewCreateIsMinimal: Bool
    /// The id member of list results, by type (v1: `id`; v2: voice `_id`, SMS `id`).
    let listIdKey: [SimulatedCampaignType: String]

    /// Every path prefix this version serves, with whether it is the start/stop service.
    var prefixes: [([String], Bool)] {
        [(pathPrefix, false)] + (triggerPathPrefix.map { [($0, true)] } ?? [])
    }

    /// `/agentassist/api/v1/public/{streamId}/campaign/{id}?campaignType=..`
    static let v1 = APIVersionShape(
        name: "v1",
        pathPrefix: ["agentassist", "api", "v1", "public"],
        requiresAccountIdQuery: false,
        hiddenFields: ["dncLists", "isFiltersEnabled", "isImported"],
        hiddenStrategyFields: ["useSystemMappings"],
        defaultedFields: [],
        updateIdStyle: .topLevelAndDataId,
        voiceUpdateRequiresDncLists: false,
        machineDetection: .boolean,
        triggerPathPrefix: ["campaign", "api", "v1", "public"],
        triggerUnderCRUDPrefix: false,
        servesSchedules: false,
        previewCreateIsMinimal: true,
        listIdKey: [.voice: "id", .sms: "id"]
    )

    /// `/campaign/api/v2/public/{streamId}/campaign/{id}?accountId=..&campaignType=..`
    static let v2 = APIVersionShape(
        name: "v2",
        pathPrefix: ["campaign", "api", "v2", "public"],
        requiresAccountIdQuery: true,
        // Kore.ai's v2 get, update and delete answers never show `enableMachineDetect` (it is written for agentless only).
        hiddenFields: ["enableMachineDetect"],
        hiddenStrategyFields: [],
        defaultedFields: [("dncLists", .null), ("isFiltersEnabled", .bool(false))],
        updateIdStyle: .dataUnderscoreId,
        voiceUpdateRequiresDncLists: true,
        machineDetection: .agentlessEnum,
        triggerPathPrefix: nil,
        triggerUnderCRUDPrefix: true,
        servesSchedules: true,
        previewCreateIsMinimal: false,
        listIdKey: [.voice: "_id", .sms: "id"]
    )

    /// Both schemes, tried in order when routing.
    static let all: [APIVersionShape] = [.v1, .v2]

    /// Fields no record answer shows in either version: Kore.ai does not echo the queue name it was given, and shows
    /// the experience flow by id (`experienceFlow`), not by the name it was given. Only the list shows either, as
    /// `connection`.
    static let neverEchoed: Set<String> = ["queue_name", "experienceFlowName"]

    /// Fields a PUT through this version keeps when its body lacks them: what the version's answers never show, so
    /// a caller who read the record could not have sent them back.
    var keptWhenAbsent: Set<String> { hiddenFields.union(Self.neverEchoed) }

    /// The record as this version shows it under `data`, `_id` first.
    func render(_ record: CampaignRecord) -> JSONObject {
        var data = JSONObject()
        for (key, value) in record.fields where !hiddenFields.contains(key) && !Self.neverEchoed.contains(key) {
            if key == "dialingStrategy", case .object(let strategy) = value, !hiddenStrategyFields.isEmpty {
                data[key] = .object(JSONObject(strategy.entries
                    .filter { !hiddenStrategyFields.contains($0.key) }
                    .map { ($0.key, $0.value) }))
            } else {
                data[key] = value
            }
        }
        for (key, fallback) in defaultedFields where data[key] == nil {
            data[key] = fallback
        }
        return data
    }

    /// The answer to a successful create, in this version's shape: SMS `data._id` (status `Ready`); voice `data.id`
    /// (status `Preparing`), except v1 preview's bare `{id, data: {campId}}`.
    func createResponseBody(_ record: CampaignRecord) -> JSONValue {
        let message = JSONValue.string(record.type == .voice ? "Campaign \(record.name) creation in progress"
                                                               : "Campaign \(record.name) created successfully")
        guard record.type == .voice else {
            return .object(["status": .string("success"), "message": message, "data": .object(render(record))])
        }
        if previewCreateIsMinimal, record.fields["dialingMode"]?.stringValue == "Preview" {
            return .object(["status": .string("success"), "message": message, "id": .string(record.id),
                            "data": .object(["campId": .string(record.id)])])
        }
        var data = render(record)
        data["_id"] = nil
        var withID = JSONObject()
        withID["id"] = .string(record.id)
        for (key, value) in data { withID[key] = value }
        return .object(["status": .string("success"), "message": message, "data": .object(withID)])
    }

    /// One record as a list result: the list's own subset, the id under this version's key, and the queue (or for
    /// agentless the experience flow) as `connection`.
    func listResult(_ record: CampaignRecord) -> JSONValue {
        let full = render(record)
        var out = JSONObject()
        out[listIdKey[record.type] ?? "id"] = .string(record.id)
        let kept = ["name", "description", "status", "priority", "dialingMode", "contactLists", "dncLists", "format",
                    "message", "campaignInstanceId", "createdAt", "updatedAt"]
        for key in kept { if let value = full[key] { out[key] = value } }
        if record.type == .voice {
            let agentless = record.fields["dialingMode"]?.stringValue == "Agentless"
            let connection = record.fields[agentless ? "experienceFlowName" : "queue_name"] ?? .null
            out["connection"] = connection
        }
        return .object(out)
    }

    /// The answer to a successful PUT, in this version's shape.
    func updateResponseBody(_ record: CampaignRecord, message: String) -> JSONValue {
        var data = render(record)
        switch updateIdStyle {
        case .dataUnderscoreId:
            return .object(["status": .string("success"), "message": .string(message), "data": .object(data)])
        case .topLevelAndDataId:
            // Seed 004: the id moves out of `_id` into `id`, both at the top level and inside `data`.
            data["_id"] = nil
            data["id"] = .string(record.id)
            return .object([
                "status": .string("success"), "message": .string(message),
                "id": .string(record.id), "data": .object(data),
            ])
        }
    }
}
