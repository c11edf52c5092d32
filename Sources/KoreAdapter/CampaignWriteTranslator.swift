import JSONCore

/// Validates a normalized PUT body (the rules in docs/KORE-MAPPING.md) and translates it to Kore.ai's
/// body for the tenant's version, reporting every failing field at once.
///
/// - Full replacement: the body is the whole writable campaign; a writable field left out is not sent.
/// - Read-only fields (`id`, `type`, `status`, ...) are ignored, so a GET result can be edited and PUT back.
/// - Unknown members are field errors (a typo must not silently reset a field).
/// - Enums go back to Kore.ai's case (`Preview`, `FIFO`, `WEEKLY`), times to `"9:00 AM"`, `priority` to the string
///   `"5"` as Kore.ai's samples send it, SMS text to Base64 (both versions), and `campaignType` is added.
/// The complete table is `docs/KORE-MAPPING.md`.
public enum CampaignWriteTranslator {
    static let writable: [String] = [
        "name", "description", "contactLists", "dncList", "priority", "callerId", "callingHours", "schedule",
    ]
    static let scheduleMembers: MemberNames = ["enabled", "recurrence"]
    static let dncListMembers: MemberNames = ["id", "name"]
    static let readOnly: MemberNames = [
        "id", "type", "status", "createdAt", "updatedAt", "instanceId", "filtersEnabled", "imported", "extensions",
    ]

    /// What the body is for. A create also checks what Kore.ai's create pages require per dialing mode and SMS
    /// format (agentless: `voice.experienceFlowName`; SMS plain text: `sms.text`; SMS template: `sms.template.name`;
    /// SMS advanced: `sms.experienceFlowName`), on top of the rules both share.
    public enum Purpose: Sendable {
        case update
        case create
    }

    /// Kore.ai's JSON body for the normalized campaign `body`, or every reason it cannot be written. The body is
    /// written straight from the checked values (`UpstreamCampaignFields`), in Kore.ai's member order.
    public static func upstreamBody(fromNormalized body: JSONValue, type: CampaignType, version: UpstreamVersion,
                                    purpose: Purpose = .update) -> Result<[UInt8], CampaignValidationFailure> {
        switch checkedFields(fromNormalized: body, type: type, version: version, purpose: purpose) {
        case .success(let fields): return .success(fields.bytes(type: type))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// The same for the caller's body as it arrived (JSON bytes), read in place without a tree
    /// (`ScannedWriteBody`); nil when the body is one only the tree reads exactly (not JSON, not an object, an
    /// escaped or non-ASCII key): then it is parsed and given to `upstreamBody(fromNormalized:...)`, which owns those
    /// answers.
    public static func upstreamBody(fromNormalizedJSON body: [UInt8], type: CampaignType, version: UpstreamVersion,
                                    purpose: Purpose = .update) -> Result<[UInt8], CampaignValidationFailure>? {
        guard let root = ScannedWriteBody.root(body) else { return nil }
        switch checkedFields(fromNormalized: root, type: type, version: version, purpose: purpose) {
        case .success(let fields): return .success(fields.bytes(type: type))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// Same, returning Kore.ai's body as a value (tests, the simulator, dry runs).
    public static func upstreamCampaign(fromNormalized body: JSONValue, type: CampaignType, version: UpstreamVersion,
                                        purpose: Purpose = .update) -> Result<JSONValue, CampaignValidationFailure> {
        switch checkedFields(fromNormalized: body, type: type, version: version, purpose: purpose) {
        case .success(let fields): return .success(fields.tree(type: type))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// Every check of the body, in the normalized shape's field order (which is the order of the errors), and the
    /// values Kore.ai's body is written from.
    static func checkedFields<V: WriteBodyValue>(fromNormalized body: V, type: CampaignType, version: UpstreamVersion,
                              purpose: Purpose) -> Result<UpstreamCampaignFields, CampaignValidationFailure> {
        var check = WriteFieldChecker()
        guard let campaign = body.objectValue else {
            check.fail("", "must be a JSON object (the campaign), not \(body.kindName)")
            return .failure(CampaignValidationFailure(errors: check.errors))
        }
        let members = topLevelMembers(type)
        check.rejectUnknownMembers(of: campaign, at: "", writable: members.writable, readOnly: readOnly,
                                   misplaced: members.misplaced)

        var out = UpstreamCampaignFields()
        out.name = check.string(campaign["name"], at: "name", required: true, maxLength: 48)
        out.description = check.string(campaign["description"], at: "description", required: true, maxLength: 256)
        out.contactLists = contactLists(campaign["contactLists"], &check)
        out.dncLists = dncList(campaign["dncList"], type: type, version: version, &check)
        out.priority = check.integer(campaign["priority"], at: "priority", in: 1...5, required: true)
        out.callerID = callerID(campaign["callerId"], &check)
        out.callingHours = CallingHoursWriter.upstream(campaign["callingHours"], &check)

        switch type {
        case .voice:
            VoiceSectionWriter(version: version, creating: purpose == .create).write(campaign["voice"], into: &out, &check)
        case .sms:
            SMSSectionWriter(creating: purpose == .create).write(campaign["sms"], into: &out, &check)
        }
        out.schedule = schedule(campaign["schedule"], &check)

        if !check.errors.isEmpty { return .failure(CampaignValidationFailure(errors: check.errors)) }
        return .success(out)
    }

    /// The top level's writable members for `type` (its own section included) and the message for the other
    /// type's section, made once per type rather than per body.
    private static func topLevelMembers(_ type: CampaignType) -> (writable: MemberNames, misplaced: [String: String]) {
        switch type {
        case .voice: return voiceMembers
        case .sms: return smsMembers
        }
    }
    private static let voiceMembers = members(.voice)
    private static let smsMembers = members(.sms)
    private static func members(_ type: CampaignType) -> (writable: MemberNames, misplaced: [String: String]) {
        let otherSection = CampaignType.allCases.first { $0 != type }?.sectionKey ?? ""
        return (MemberNames(writable + [type.sectionKey]), [otherSection: "is not allowed in a \(type.rawValue) campaign"])
    }

    private static func contactLists<V: WriteBodyValue>(_ value: V?, _ check: inout WriteFieldChecker) -> [String]? {
        if WriteFieldChecker.isMissing(value) {
            check.fail("contactLists", "is required (at least one contact list name)")
            return nil
        }
        guard let items = value?.arrayValue else {
            check.fail("contactLists", "must be an array of contact list names")
            return nil
        }
        if items.isEmpty { check.fail("contactLists", "must name at least one contact list") }
        var names: [String] = []
        names.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            if let name = check.string(item, at: "contactLists[\(index)]", required: true) { names.append(name) }
        }
        return names.count == items.count && !items.isEmpty ? names : nil
    }

    /// `dncList {id?, name}` -> v2 `dncLists`. `null` (or absent) means "no DNC list" on both versions: v2 voice,
    /// which Kore.ai's pages say must carry `dncLists`, gets `[]`; v2 SMS (optional there) and v1 get nothing. v1 has no
    /// DNC lists, so only a non-null value on a v1 tenant is an error, rather than silently dropped.
    private static func dncList<V: WriteBodyValue>(_ value: V?, type: CampaignType, version: UpstreamVersion,
                                _ check: inout WriteFieldChecker) -> UpstreamCampaignFields.DNCLists? {
        guard version == .v2 else {
            check.requireAbsent(value, at: "dncList", because: "is not supported by this tenant's upstream version (v1), which has no DNC lists; send null")
            return nil
        }
        guard let dnc = check.object(value, at: "dncList", required: false) else {
            return WriteFieldChecker.isMissing(value) && type == .voice ? UpstreamCampaignFields.DNCLists.none : nil
        }
        check.rejectUnknownMembers(of: dnc, at: "dncList", writable: dncListMembers)
        let id = check.string(dnc["id"], at: "dncList.id", required: false)
        guard let name = check.string(dnc["name"], at: "dncList.name", required: true) else { return nil }
        return .object(id: id, name: name)
    }

    /// E.164: `+`, a non-zero digit, then at most 14 more digits.
    private static func callerID<V: WriteBodyValue>(_ value: V?, _ check: inout WriteFieldChecker) -> String? {
        guard let text = check.string(value, at: "callerId", required: true) else { return nil }
        let digits = text.utf8.dropFirst()
        let valid = text.utf8.first == UInt8(ascii: "+") && (2...15).contains(digits.count)
            && digits.first != UInt8(ascii: "0") && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard valid else {
            check.fail("callerId", "must be an E.164 phone number such as +18123456789")
            return nil
        }
        return text
    }

    /// Kore.ai's `schedule {isSchedulingEnabled, isRecurrenceEnabled}`: each flag when given.
    private static func schedule<V: WriteBodyValue>(_ value: V?, _ check: inout WriteFieldChecker)
        -> (enabled: Bool?, recurrence: Bool?)? {
        guard let schedule = check.object(value, at: "schedule", required: false) else { return nil }
        check.rejectUnknownMembers(of: schedule, at: "schedule", writable: scheduleMembers)
        let enabled = check.bool(schedule["enabled"], at: "schedule.enabled", required: true)
        let recurrence = check.bool(schedule["recurrence"], at: "schedule.recurrence", required: false)
        return (enabled, recurrence)
    }
}
