import Foundation

/// Bodies and shapes for the operations beyond delete and update, and a JSON-body shorthand on the harness.
enum CampaignAPI {
    /// Every key of a normalized campaign (the type's section added by `keys(for:)`).
    static let campaignKeys: Set<String> = [
        "id", "type", "name", "description", "status", "priority", "contactLists", "dncList", "callerId", "callingHours",
        "schedule", "filtersEnabled", "imported", "instanceId", "createdAt", "updatedAt", "extensions",
    ]
    static let voiceKeys: Set<String> = [
        "dialingMode", "dialingOrder", "maxAttemptsPerRecord", "retryPeriodMinutes", "maxRingTimeSeconds", "maxSkips",
        "machineDetection", "queueName", "useSystemMappings", "experienceFlowId", "experienceFlowName",
    ]
    static let smsKeys: Set<String> = ["format", "experienceFlowId", "experienceFlowName", "template", "text"]
    static let runKeys: Set<String> = ["id", "type", "name", "status", "instanceId", "updatedAt", "totalCallsCompleted"]

    static func keys(for type: String) -> Set<String> { campaignKeys.union([type]) }

    /// Whether `campaign` has exactly the full normalized shape of `type` (every key, nothing else).
    static func hasFullShape(_ campaign: [String: Any], type: String) -> Bool {
        guard Set(campaign.keys) == keys(for: type), let section = campaign[type] as? [String: Any] else { return false }
        return Set(section.keys) == (type == "voice" ? voiceKeys : smsKeys)
    }

    /// A voice create body for `mode` (agentless, progressive, preview); v2 tenants need a DNC list.
    static func voiceCreate(_ mode: String, name: String, v2: Bool) -> [String: Any] {
        var body = Samples.voiceBody(name: name, withDnc: v2)
        var voice = body["voice"] as? [String: Any] ?? [:]
        voice["dialingMode"] = mode
        switch mode {
        case "agentless":
            voice["queueName"] = nil
            voice["maxSkips"] = nil
            voice["experienceFlowName"] = "Billing Reminder Flow"
            voice["machineDetection"] = "detect"
        case "progressive":
            voice["maxSkips"] = nil
        default:
            break
        }
        body["voice"] = voice
        return body
    }

    /// An SMS create body for `variant` (plain, template, advanced).
    static func smsCreate(_ variant: String, name: String, v2: Bool) -> [String: Any] {
        var body = Samples.smsBody(text: "Hello <First Name>, your bill is due.", withDnc: v2)
        body["name"] = name
        var sms: [String: Any] = ["format": "simple", "template": NSNull(), "text": "Hello <First Name>, your bill is due."]
        switch variant {
        case "template":
            sms["template"] = ["id": "cmt-7a1c2e3f-0000-4000-8000-00000000xxxx", "name": "Billing Template"]
        case "advanced":
            sms = ["format": "advanced", "experienceFlowName": "SMS Support Flow", "template": NSNull(), "text": NSNull()]
        default:
            break
        }
        body["sms"] = sms
        return body
    }

    /// A schedule body: daily (`every: day`) or weekly on Monday and Thursday.
    static func schedule(weekly: Bool) -> [String: Any] {
        var recurrence: [String: Any] = ["every": weekly ? "week" : "day", "interval": 1]
        if weekly { recurrence["days"] = ["MO", "TH"] }
        return ["start": "2030-01-06T09:00:00", "end": "2030-03-31T18:00", "recurrence": recurrence]
    }

    /// The JSON of a simulator call's body.
    static func json(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}

extension GatewayHarness {
    /// `send` with a JSON object body.
    func send(_ method: String, _ path: String, key: String? = GatewayHarness.apiKeys["all"], tenant: String? = nil,
              headers: [String: String] = [:], json: [String: Any]) async throws -> Reply {
        try await send(method, path, key: key, tenant: tenant, headers: headers, body: Samples.data(json))
    }
}
