import JSONCore

/// Maps one Kore.ai campaign record (the envelope's `data`) to the normalized campaign (docs/KORE-MAPPING.md).
///
/// The output always has the same keys, in the same order, for every campaign of a type, whatever the version:
/// a field the upstream did not send is `null`. The field-by-field table is `docs/KORE-MAPPING.md`.
struct UpstreamCampaignMapper {
    /// The normalized campaign and the upstream paths kept under its `extensions`.
    struct Output {
        var campaign: JSONValue
        /// Members the mapper does not know (drift), without the documented ones it deliberately leaves unmodelled.
        var unknownFields: [String]
        /// Known members whose value could not be read (a priority of `"high"`, SMS text that is not Base64).
        var unreadableFields: [String]
        var name: String?
        /// The record's own `campaignType`/`type`, when it states one (for GET's type check).
        var recordType: String?
    }

    let type: CampaignType
    let version: UpstreamVersion

    /// `fallbackID` is the envelope's top-level `id` (v1 update answers carry it there as well as in `data.id`);
    /// `envelopeLeftovers` are envelope members outside `data` that nobody understood, already path-prefixed.
    func map(record: JSONObject, fallbackID: JSONValue?, envelopeLeftovers: [UpstreamFieldCursor.Leftover]) -> Output {
        var cursor = UpstreamFieldCursor(record, path: "")
        var out = JSONObject()

        out["id"] = takeID(&cursor, fallback: fallbackID)
        out["type"] = .string(type.rawValue)
        let name = cursor.string("name")
        out["name"] = name
        _ = cursor.take("lname")  // version noise: a lowercase copy of name
        out["description"] = cursor.string("description")
        out["status"] = cursor.lowercased("status")
        out["priority"] = cursor.integer("priority")
        out["contactLists"] = cursor.stringArray("contactLists")
        out["dncList"] = dncList(&cursor)

        var strategy = cursor.child("dialingStrategy")
        out["callerId"] = callerID(&strategy)
        out["callingHours"] = callingHours(&strategy)
        switch type {
        case .voice: out["voice"] = voiceSection(&cursor, strategy: &strategy)
        case .sms: out["sms"] = smsSection(&cursor)
        }
        if let strategy { cursor.absorb(strategy) }

        out["schedule"] = schedule(&cursor)
        out["filtersEnabled"] = cursor.bool("isFiltersEnabled")
        out["imported"] = cursor.bool("isImported")
        out["instanceId"] = cursor.string("campaignInstanceId")
        out["createdAt"] = timestamp(&cursor, "createdAt")
        out["updatedAt"] = timestamp(&cursor, "updatedAt")

        let recordType = (cursor.take("campaignType") ?? cursor.take("type"))?.stringValue ?? Self.inferredType(record)

        // Built in one go: JSONObject's de-duplication is linear that way, and drift can be large.
        let leftovers = cursor.leftovers() + envelopeLeftovers
        let extensions = JSONObject(leftovers.map { ($0.path, $0.value) })
        out["extensions"] = .object(extensions)
        // Classified over the extensions' own keys, so each path is reported once, as it is shown.
        let unreadablePaths = Set(leftovers.filter(\.unreadable).map(\.path))
        let unknown = extensions.keys.filter { !unreadablePaths.contains($0) && !Self.documentedUnmodelled.contains($0) }
        let unreadable = extensions.keys.filter { unreadablePaths.contains($0) }
        return Output(campaign: .object(out), unknownFields: unknown, unreadableFields: unreadable, name: name.stringValue,
                      recordType: recordType)
    }

    /// Members Kore.ai documents that the normalized shape does not model: the list's per-run counters. They stay under
    /// `extensions` (nothing is dropped) but are not drift, so the unknown-field metric does not count them.
    static let documentedUnmodelled: Set<String> = CampaignNormalizer.documentedUnmodelledFields

    /// Kore.ai's get-by-id answers do not state the type: a record with a `dialingMode` is voice, else one with an
    /// SMS `format` or `message` object is SMS. ◆ Should a record carry both, `dialingMode` wins (Kore.ai's v1 get-voice
    /// sample is an SMS record, so the pages cannot settle it). Nil when neither is present (the type is then not checked).
    static func inferredType(_ record: JSONObject) -> String? {
        if let mode = record["dialingMode"], !mode.isNull { return "voice" }
        if let format = record["format"], !format.isNull { return "sms" }
        if record["message"]?.objectValue != nil { return "sms" }
        return nil
    }

    /// One id, from whichever member the upstream used: `_id` (delete), `id` (v1 update's `data.id`), the envelope's
    /// top-level `id`, or `campId`. Every candidate is consumed; one that disagrees with the chosen id is kept under
    /// extensions rather than dropped.
    private func takeID(_ cursor: inout UpstreamFieldCursor, fallback: JSONValue?) -> JSONValue {
        let candidates: [(key: String, value: JSONValue?)] = [
            ("_id", cursor.take("_id")), ("id", cursor.take("id")), ("envelope.id", fallback), ("campId", cursor.take("campId")),
        ]
        var chosen: String?
        for (key, value) in candidates {
            guard let value, !value.isNull else { continue }
            if let text = value.stringValue, chosen == nil || chosen == text {
                chosen = text
            } else if key == "envelope.id" {
                cursor.keep(fullPath: key, value)
            } else {
                cursor.keep(key, value)
            }
        }
        return chosen.map(JSONValue.string) ?? .null
    }

    /// v2's `dncLists` (an object despite the plural): voice `{id, name}`, SMS `{name}`. Normalized as
    /// `{"id": <or null>, "name": ...}`; null when absent (always, on v1) or `[]` (what the gateway writes for "no DNC
    /// list" on v2).
    private func dncList(_ cursor: inout UpstreamFieldCursor) -> JSONValue {
        if case .array(let items)? = cursor.peek("dncLists"), items.isEmpty {
            _ = cursor.take("dncLists")
            return .null
        }
        guard var dnc = cursor.child("dncLists") else { return .null }
        let list: JSONValue = .object(["id": dnc.string("id"), "name": dnc.string("name")])
        cursor.absorb(dnc)
        return list
    }

    private func callerID(_ strategy: inout UpstreamFieldCursor?) -> JSONValue {
        guard var caller = strategy?.child("callerId") else { return .null }
        let number = caller.string("phoneNumber")
        strategy?.absorb(caller)
        return number
    }

    private func callingHours(_ strategy: inout UpstreamFieldCursor?) -> JSONValue {
        guard var hours = strategy?.child("callingHours") else { return .null }
        var out = JSONObject()
        out["frequency"] = hours.lowercased("frequency")
        out["timezone"] = hours.string("timezone")
        out["days"] = days(&hours)
        strategy?.absorb(hours)
        return .object(out)
    }

    /// Each day as `{day, start, end}` with 24-hour times; an unparseable time is kept as Kore.ai sent it.
    private func days(_ hours: inout UpstreamFieldCursor) -> JSONValue {
        guard let value = hours.take("days"), !value.isNull else { return .null }
        guard case .array(let items) = value else {
            hours.keep("days", value)
            return .null
        }
        var days: [JSONValue] = []
        for (index, item) in items.enumerated() {
            let path = hours.pathOf("days") + "[\(index)]"
            guard case .object(let object) = item else {
                hours.keep(fullPath: path, item)
                continue
            }
            var day = UpstreamFieldCursor(object, path: path)
            var out = JSONObject()
            out["day"] = day.string("day")
            for key in ["start", "end"] {
                let time = day.string(key)
                out[key] = time.stringValue.map { .string(TimeOfDay.normalizedFromUpstream($0)) } ?? .null
            }
            hours.absorb(day)
            days.append(.object(out))
        }
        return .array(days)
    }

    private func voiceSection(_ cursor: inout UpstreamFieldCursor, strategy: inout UpstreamFieldCursor?) -> JSONValue {
        var out = JSONObject()
        let mode = cursor.lowercased("dialingMode")
        out["dialingMode"] = mode
        out["dialingOrder"] = strategy?.lowercased("dialingOrder") ?? .null
        out["maxAttemptsPerRecord"] = strategy?.integer("maxAttemptsPerRecord") ?? .null
        out["retryPeriodMinutes"] = strategy?.integer("defaultRetryPeriod") ?? .null
        out["maxRingTimeSeconds"] = strategy?.integer("maxRingTime") ?? .null
        out["maxSkips"] = cursor.integer("maxSkips")
        out["machineDetection"] = machineDetection(&cursor)
        var queue = cursor.string("queue_name")
        var flowName = cursor.string("experienceFlowName")
        connection(&cursor, agentless: mode == .string("agentless"), queue: &queue, flowName: &flowName)
        out["queueName"] = queue
        out["useSystemMappings"] = strategy?.bool("useSystemMappings") ?? .null
        out["experienceFlowId"] = cursor.string("experienceFlow")
        out["experienceFlowName"] = flowName
        return .object(out)
    }

    /// Kore.ai's list results name the queue `connection` (for agentless campaigns it holds the experience flow's
    /// name instead); records never echo `queue_name` itself. `connection` fills whichever of the two is empty; a null
    /// `connection` says nothing and is consumed. One that disagrees with a value already read is kept under extensions.
    private func connection(_ cursor: inout UpstreamFieldCursor, agentless: Bool, queue: inout JSONValue,
                            flowName: inout JSONValue) {
        switch cursor.take("connection") {
        case nil, .null?: return
        case .string(let name)?:
            if agentless {
                if flowName.isNull { flowName = .string(name); return }
                if flowName == .string(name) { return }
            } else {
                if queue.isNull { queue = .string(name); return }
                if queue == .string(name) { return }
            }
            cursor.keep("connection", .string(name))
        case let other?:
            cursor.keep("connection", other)
        }
    }

    /// v1 boolean false/true -> off/detect; v2 `no|detect|disconnect` -> off/detect/disconnect; absent
    /// -> null. Either spelling is accepted from either version: they cannot be confused.
    private func machineDetection(_ cursor: inout UpstreamFieldCursor) -> JSONValue {
        switch cursor.take("enableMachineDetect") {
        case nil, .null?: return .null
        case .bool(let on)?: return .string(on ? "detect" : "off")
        case .string(let text)?:
            switch text.lowercased() {
            case "no", "off", "false": return .string("off")
            case "detect", "yes", "true": return .string("detect")
            case "disconnect": return .string("disconnect")
            default: cursor.keep("enableMachineDetect", .string(text)); return .null
            }
        case let other?:
            cursor.keep("enableMachineDetect", other)
            return .null
        }
    }

    private func smsSection(_ cursor: inout UpstreamFieldCursor) -> JSONValue {
        var out = JSONObject()
        out["format"] = cursor.lowercased("format")
        out["experienceFlowId"] = cursor.string("experienceFlow")
        out["experienceFlowName"] = cursor.string("experienceFlowName")
        var template: JSONValue = .null
        var text: JSONValue = .null
        if var message = cursor.child("message") {
            let id = message.string("templateId"), name = message.string("template_name")
            if !id.isNull || !name.isNull { template = .object(["id": id, "name": name]) }
            switch message.take("message") {
            case nil, .null?: break
            case .string(let raw)?:
                switch SMSTextCoding.decode(raw, version: version) {
                case .text(let plain): text = .string(plain)
                case .undecodable: message.keep("message", .string(raw))
                }
            case let other?: message.keep("message", other)
            }
            cursor.absorb(message)
        }
        out["template"] = template
        out["text"] = text
        return .object(out)
    }

    private func schedule(_ cursor: inout UpstreamFieldCursor) -> JSONValue {
        guard var schedule = cursor.child("schedule") else { return .null }
        let out: JSONValue = .object([
            "enabled": schedule.bool("isSchedulingEnabled"),
            "recurrence": schedule.bool("isRecurrenceEnabled"),
        ])
        cursor.absorb(schedule)
        return out
    }

    /// Timestamps pass through as Kore.ai gave them; only their type is checked.
    private func timestamp(_ cursor: inout UpstreamFieldCursor, _ key: String) -> JSONValue {
        cursor.string(key)
    }
}
