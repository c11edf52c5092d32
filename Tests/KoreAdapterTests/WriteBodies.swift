import JSONCore
import KoreAdapter

/// Valid normalized write bodies to start from, and a way to change one member, so each validation test states
/// exactly the one thing it breaks.
enum WriteBodies {
    static let voiceText = #"""
    {
      "name": "Billing Reminder Voice Campaign",
      "description": "Reminds customers about pending bills",
      "contactLists": ["Recent Buyers - Q2 2025"],
      "dncList": {"id": "cl-1", "name": "DNC CL Dec 4"},
      "priority": 5,
      "callerId": "+18123456789",
      "callingHours": {"frequency": "weekly", "timezone": "Asia/Kolkata",
                       "days": [{"day": "MO", "start": "09:00", "end": "18:00"},
                                {"day": "TU", "start": "09:00", "end": "18:00"},
                                {"day": "WE", "start": "00:00", "end": "23:59"}]},
      "voice": {"dialingMode": "preview", "dialingOrder": "fifo", "maxAttemptsPerRecord": 3,
                "retryPeriodMinutes": 10, "maxRingTimeSeconds": 30, "maxSkips": 1,
                "machineDetection": "off", "queueName": "Default Queue"},
      "schedule": {"enabled": false, "recurrence": false}
    }
    """#

    static let smsText = #"""
    {
      "name": "Billing Alert",
      "description": "Alerts about pending bills",
      "contactLists": ["CL Only 2020 Dec 4"],
      "dncList": null,
      "priority": 3,
      "callerId": "+919876543210",
      "callingHours": {"frequency": "daily", "timezone": "Europe/Berlin",
                       "days": [{"day": "SA", "start": "10:30", "end": "12:00"}]},
      "sms": {"format": "simple", "template": {"id": "cmt-1", "name": "Welcome"}, "text": "Hi <First Name>, your bill is due."},
      "schedule": {"enabled": false}
    }
    """#

    static func voice(version: UpstreamVersion = .v2) -> JSONValue {
        var body = (try? JSONReader.parse(voiceText)) ?? .null
        if version == .v1 { body = body.setting(["dncList"], to: .null) }
        return body
    }

    static func sms() -> JSONValue { (try? JSONReader.parse(smsText)) ?? .null }
}

extension JSONValue {
    /// A copy with the member at `path` replaced (nil removes it). Path elements are object keys, or `[n]` for the
    /// n-th array element.
    func setting(_ path: [String], to newValue: JSONValue?) -> JSONValue {
        guard let head = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        if head.hasPrefix("["), head.hasSuffix("]"), let index = Int(head.dropFirst().dropLast()),
           case .array(var items) = self, items.indices.contains(index) {
            if rest.isEmpty, newValue == nil { items.remove(at: index) } else { items[index] = items[index].setting(rest, to: newValue) }
            return .array(items)
        }
        guard case .object(var object) = self else { return self }
        if rest.isEmpty {
            object[head] = newValue
        } else {
            object[head] = (object[head] ?? .object(JSONObject())).setting(rest, to: newValue)
        }
        return .object(object)
    }

    /// Convenience: `setting("voice.maxSkips", to: ...)` with dots between keys.
    func setting(_ dottedPath: String, to newValue: JSONValue?) -> JSONValue {
        setting(dottedPath.split(separator: ".").map(String.init), to: newValue)
    }
}

/// The field errors of a write, or [] when it succeeds.
func writeErrors(_ body: JSONValue, _ type: CampaignType, _ version: UpstreamVersion,
                 purpose: CampaignWriteTranslator.Purpose = .update) -> [FieldError] {
    switch CampaignWriteTranslator.upstreamBody(fromNormalized: body, type: type, version: version, purpose: purpose) {
    case .success: return []
    case .failure(let failure): return failure.errors
    }
}
