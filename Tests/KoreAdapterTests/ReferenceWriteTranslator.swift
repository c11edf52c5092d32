@testable import KoreAdapter
import JSONCore

// The write translation as it was before Kore.ai's body was written straight to bytes: the checks over the
// caller's tree, Kore.ai's body built as a `JSONObject`, put in Kore.ai's member order and written by `JSONWriter`.
// Kept verbatim (types renamed `Reference...`) as the reference that `WriteTranslatorDifferentialTests` holds the
// production path to: the same bytes, the same field errors in the same order. A change to the write rules or
// Kore.ai's body is made in both, or the differential test fails.


/// Typed, collecting access to a normalized write body: every accessor returns the value when it is acceptable and
/// otherwise records a `FieldError` and returns nil, so a whole body is checked in one pass and every failing field
/// is reported at once. A value of the wrong JSON type is a field error like any
/// other, never a crash.
struct ReferenceWriteFieldChecker {
    /// More errors than this are summarised in one final entry, so a hostile body of 100,000 unknown members
    /// cannot make the 422 answer larger than the request.
    static let maxReportedErrors = 100

    private var reported: [FieldError] = []
    private var suppressed = 0

    var errors: [FieldError] {
        guard suppressed > 0 else { return reported }
        return reported + [FieldError(field: "", message: "and \(suppressed) more invalid fields")]
    }

    mutating func fail(_ field: String, _ message: String) {
        if reported.count < Self.maxReportedErrors {
            reported.append(FieldError(field: field, message: message))
        } else {
            suppressed += 1
        }
    }

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    /// Whether `value` is absent or JSON null: both mean "not given" in a write body.
    static func isMissing(_ value: JSONValue?) -> Bool {
        value == nil || value == .null
    }

    /// Rejects members that are neither writable nor read-only (typos such as `priorty` would otherwise be ignored
    /// silently and the field reset by the full replacement). Read-only members are ignored.
    mutating func rejectUnknownMembers(of object: JSONObject, at parent: @autoclosure () -> String, writable: Set<String>,
                                       readOnly: Set<String> = [], misplaced: [String: String] = [:]) {
        for (key, _) in object where !writable.contains(key) && !readOnly.contains(key) {
            fail(Self.path(parent(), key), misplaced[key] ?? "is not a known field")
        }
    }

    mutating func object(_ value: JSONValue?, at field: @autoclosure () -> String, required: Bool) -> JSONObject? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard case .object(let object)? = value else {
            fail(field(), "must be an object")
            return nil
        }
        return object
    }

    /// A string of 1...`maxLength` UTF-16 code units (how Kore.ai's JavaScript services count length).
    mutating func string(_ value: JSONValue?, at field: @autoclosure () -> String, required: Bool, maxLength: Int? = nil) -> String? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard case .string(let text)? = value else {
            fail(field(), "must be a string")
            return nil
        }
        if text.isEmpty {
            fail(field(), "must not be empty")
            return nil
        }
        if let maxLength, text.utf16.count > maxLength {
            fail(field(), "must be at most \(maxLength) characters")
            return nil
        }
        return text
    }

    /// An integer literal within `range` (no fraction, no exponent, not a string).
    mutating func integer(_ value: JSONValue?, at field: @autoclosure () -> String, in range: ClosedRange<Int>, required: Bool) -> Int? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let number = value?.intValue, range.contains(number) else {
            let expectation = range.upperBound == Int.max
                ? "must be an integer of at least \(range.lowerBound)"
                : "must be an integer from \(range.lowerBound) to \(range.upperBound)"
            fail(field(), expectation)
            return nil
        }
        return number
    }

    mutating func bool(_ value: JSONValue?, at field: @autoclosure () -> String, required: Bool) -> Bool? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard case .bool(let flag)? = value else {
            fail(field(), "must be true or false")
            return nil
        }
        return flag
    }

    /// One of `allowed`, exactly (normalized enums are lowercase; `"Preview"` is refused, not guessed).
    mutating func oneOf(_ value: JSONValue?, at field: @autoclosure () -> String, _ allowed: [String], required: Bool) -> String? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let text = value?.stringValue, allowed.contains(text) else {
            fail(field(), "must be one of " + allowed.joined(separator: ", "))
            return nil
        }
        return text
    }

    /// A field that this tenant's upstream version cannot carry: null or absent is fine, anything else is an error
    /// (silently dropping it would make the write lie about what was stored).
    mutating func requireAbsent(_ value: JSONValue?, at field: @autoclosure () -> String, because reason: String) {
        if !Self.isMissing(value) { fail(field(), reason) }
    }
}


/// Validates a normalized PUT body (the rules in docs/KORE-MAPPING.md) and translates it to Kore.ai's
/// body for the tenant's version, reporting every failing field at once.
///
/// - Full replacement: the body is the whole writable campaign; a writable field left out is not sent.
/// - Read-only fields (`id`, `type`, `status`, ...) are ignored, so a GET result can be edited and PUT back.
/// - Unknown members are field errors (a typo must not silently reset a field).
/// - Enums go back to Kore.ai's case (`Preview`, `FIFO`, `WEEKLY`), times to `"9:00 AM"`, `priority` to the string
///   `"5"` as Kore.ai's samples send it, SMS text to Base64 (both versions), and `campaignType` is added.
/// The complete table is `docs/KORE-MAPPING.md`.
enum ReferenceWriteTranslator {
    static let writable: Set<String> = [
        "name", "description", "contactLists", "dncList", "priority", "callerId", "callingHours", "schedule",
    ]
    static let scheduleMembers: Set<String> = ["enabled", "recurrence"]
    static let dncListMembers: Set<String> = ["id", "name"]
    static let readOnly: Set<String> = [
        "id", "type", "status", "createdAt", "updatedAt", "instanceId", "filtersEnabled", "imported", "extensions",
    ]

    /// What the body is for. A create also checks what Kore.ai's create pages require per dialing mode and SMS
    /// format (agentless: `voice.experienceFlowName`; SMS plain text: `sms.text`; SMS template: `sms.template.name`;
    /// SMS advanced: `sms.experienceFlowName`), on top of the rules both share.
    typealias Purpose = CampaignWriteTranslator.Purpose

    /// Kore.ai's JSON body for the normalized campaign `body`, or every reason it cannot be written.
    static func upstreamBody(fromNormalized body: JSONValue, type: CampaignType, version: UpstreamVersion,
                                    purpose: Purpose = .update) -> Result<[UInt8], CampaignValidationFailure> {
        switch upstreamCampaign(fromNormalized: body, type: type, version: version, purpose: purpose) {
        case .success(let value): return .success(value.bytes)
        case .failure(let failure): return .failure(failure)
        }
    }

    /// Same, returning Kore.ai's body as a value (tests, the simulator, dry runs).
    static func upstreamCampaign(fromNormalized body: JSONValue, type: CampaignType, version: UpstreamVersion,
                                        purpose: Purpose = .update) -> Result<JSONValue, CampaignValidationFailure> {
        var check = ReferenceWriteFieldChecker()
        guard case .object(let campaign) = body else {
            check.fail("", "must be a JSON object (the campaign), not \(body.kindName)")
            return .failure(CampaignValidationFailure(errors: check.errors))
        }
        let members = topLevelMembers(type)
        check.rejectUnknownMembers(of: campaign, at: "", writable: members.writable, readOnly: readOnly,
                                   misplaced: members.misplaced)

        var out = JSONObject()
        out["name"] = check.string(campaign["name"], at: "name", required: true, maxLength: 48).map(JSONValue.string)
        out["description"] = check.string(campaign["description"], at: "description", required: true, maxLength: 256)
            .map(JSONValue.string)
        out["contactLists"] = contactLists(campaign["contactLists"], &check)
        out["dncLists"] = dncList(campaign["dncList"], type: type, version: version, &check)
        out["priority"] = check.integer(campaign["priority"], at: "priority", in: 1...5, required: true)
            .map { .string(String($0)) }

        var strategy = JSONObject()
        if let phone = callerID(campaign["callerId"], &check) {
            strategy["callerId"] = .object(["phoneNumber": .string(phone)])
        }
        strategy["callingHours"] = ReferenceCallingHoursWriter.upstream(campaign["callingHours"], &check)

        switch type {
        case .voice:
            ReferenceVoiceSectionWriter(version: version, creating: purpose == .create).write(campaign["voice"], into: &out, strategy: &strategy, &check)
        case .sms:
            out["dialingStrategy"] = .object(strategy)
            ReferenceSMSSectionWriter(creating: purpose == .create).write(campaign["sms"], into: &out, &check)
        }
        out["schedule"] = schedule(campaign["schedule"], &check)
        out["campaignType"] = .string(type.rawValue)

        if !check.errors.isEmpty { return .failure(CampaignValidationFailure(errors: check.errors)) }
        return .success(.object(ordered(out, type: type)))
    }

    /// The top level's writable members for `type` (its own section included) and the message for the other
    /// type's section, made once per type rather than per body.
    private static func topLevelMembers(_ type: CampaignType) -> (writable: Set<String>, misplaced: [String: String]) {
        switch type {
        case .voice: return voiceMembers
        case .sms: return smsMembers
        }
    }
    private static let voiceMembers = members(.voice)
    private static let smsMembers = members(.sms)
    private static func members(_ type: CampaignType) -> (writable: Set<String>, misplaced: [String: String]) {
        let otherSection = CampaignType.allCases.first { $0 != type }?.sectionKey ?? ""
        return (writable.union([type.sectionKey]), [otherSection: "is not allowed in a \(type.rawValue) campaign"])
    }

    /// Kore.ai's member order from its samples (seed 004 for voice), which makes bodies easy to compare by eye.
    private static func ordered(_ body: JSONObject, type: CampaignType) -> JSONObject {
        let order: [String]
        switch type {
        case .voice:
            order = ["name", "description", "contactLists", "dncLists", "priority", "dialingMode", "dialingStrategy",
                     "schedule", "queue_name", "experienceFlowName", "enableMachineDetect", "maxSkips", "campaignType"]
        case .sms:
            order = ["name", "description", "contactLists", "dncLists", "priority", "format", "dialingStrategy",
                     "message", "schedule", "experienceFlowName", "campaignType"]
        }
        var sorted = JSONObject()
        for key in order { if let value = body[key] { sorted[key] = value } }
        for (key, value) in body where sorted[key] == nil { sorted[key] = value }
        return sorted
    }

    private static func contactLists(_ value: JSONValue?, _ check: inout ReferenceWriteFieldChecker) -> JSONValue? {
        if ReferenceWriteFieldChecker.isMissing(value) {
            check.fail("contactLists", "is required (at least one contact list name)")
            return nil
        }
        guard case .array(let items)? = value else {
            check.fail("contactLists", "must be an array of contact list names")
            return nil
        }
        if items.isEmpty { check.fail("contactLists", "must name at least one contact list") }
        var names: [JSONValue] = []
        for (index, item) in items.enumerated() {
            if let name = check.string(item, at: "contactLists[\(index)]", required: true) { names.append(.string(name)) }
        }
        return names.count == items.count && !items.isEmpty ? .array(names) : nil
    }

    /// `dncList {id?, name}` -> v2 `dncLists`. `null` (or absent) means "no DNC list" on both versions: v2 voice,
    /// which Kore.ai's pages say must carry `dncLists`, gets `[]`; v2 SMS (optional there) and v1 get nothing. v1 has no
    /// DNC lists, so only a non-null value on a v1 tenant is an error, rather than silently dropped.
    private static func dncList(_ value: JSONValue?, type: CampaignType, version: UpstreamVersion,
                                _ check: inout ReferenceWriteFieldChecker) -> JSONValue? {
        guard version == .v2 else {
            check.requireAbsent(value, at: "dncList", because: "is not supported by this tenant's upstream version (v1), which has no DNC lists; send null")
            return nil
        }
        guard let dnc = check.object(value, at: "dncList", required: false) else {
            return ReferenceWriteFieldChecker.isMissing(value) && type == .voice ? .array([]) : nil
        }
        check.rejectUnknownMembers(of: dnc, at: "dncList", writable: dncListMembers)
        var out = JSONObject()
        if let id = check.string(dnc["id"], at: "dncList.id", required: false) { out["id"] = .string(id) }
        guard let name = check.string(dnc["name"], at: "dncList.name", required: true) else { return nil }
        out["name"] = .string(name)
        return .object(out)
    }

    /// E.164: `+`, a non-zero digit, then at most 14 more digits.
    private static func callerID(_ value: JSONValue?, _ check: inout ReferenceWriteFieldChecker) -> String? {
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

    private static func schedule(_ value: JSONValue?, _ check: inout ReferenceWriteFieldChecker) -> JSONValue? {
        guard let schedule = check.object(value, at: "schedule", required: false) else { return nil }
        check.rejectUnknownMembers(of: schedule, at: "schedule", writable: scheduleMembers)
        var out = JSONObject()
        if let enabled = check.bool(schedule["enabled"], at: "schedule.enabled", required: true) {
            out["isSchedulingEnabled"] = .bool(enabled)
        }
        if let recurrence = check.bool(schedule["recurrence"], at: "schedule.recurrence", required: false) {
            out["isRecurrenceEnabled"] = .bool(recurrence)
        }
        return .object(out)
    }
}


/// Normalized `callingHours` -> Kore.ai's `dialingStrategy.callingHours`, with its validation: frequency
/// weekly|daily|custom, a real IANA time zone, and days `MO`..`SU` with 24-hour `start` < `end`, written back as
/// `"9:00 AM"`.
enum ReferenceCallingHoursWriter {
    static let members: Set<String> = ["frequency", "timezone", "days"]
    static let dayMembers: Set<String> = ["day", "start", "end"]
    static let frequencies = KoreEnumSpelling.names(KoreEnumSpelling.frequency)

    static func upstream(_ value: JSONValue?, _ check: inout ReferenceWriteFieldChecker) -> JSONValue? {
        guard let hours = check.object(value, at: "callingHours", required: true) else { return nil }
        check.rejectUnknownMembers(of: hours, at: "callingHours", writable: Self.members)
        var out = JSONObject()
        if let frequency = check.oneOf(hours["frequency"], at: "callingHours.frequency", Self.frequencies, required: true) {
            out["frequency"] = KoreEnumSpelling.upstream(frequency, in: KoreEnumSpelling.frequency).map(JSONValue.string)
        }
        if let zone = check.string(hours["timezone"], at: "callingHours.timezone", required: true) {
            if isIANAZone(zone) {
                out["timezone"] = .string(zone)
            } else {
                check.fail("callingHours.timezone", "must be an IANA time zone such as Asia/Kolkata")
            }
        }
        out["days"] = days(hours["days"], &check)
        return .object(out)
    }

    /// A name from the IANA time zone database (`Asia/Kolkata`, `UTC`, `Etc/GMT+5`, links such as `US/Eastern`),
    /// looked up in the table `scripts/gen-timezones` generates from tzdata. Offset spellings such as `GMT+5` are not
    /// names there, and Kore.ai's `timezone` (an IANA name, "for example Asia/Kolkata") would not understand them.
    static func isIANAZone(_ identifier: String) -> Bool {
        identifier.utf8.count <= 64 && identifier.utf8.allSatisfy { $0 < 0x80 } && IANATimeZoneNames.all.contains(identifier)
    }

    private static func days(_ value: JSONValue?, _ check: inout ReferenceWriteFieldChecker) -> JSONValue? {
        if ReferenceWriteFieldChecker.isMissing(value) {
            check.fail("callingHours.days", "is required (at least one day)")
            return nil
        }
        guard case .array(let items)? = value else {
            check.fail("callingHours.days", "must be an array of {day, start, end}")
            return nil
        }
        if items.isEmpty { check.fail("callingHours.days", "must contain at least one day") }
        var days: [JSONValue] = []
        for (index, item) in items.enumerated() {
            // Spelled only when a field fails: a valid body builds no path strings.
            func path() -> String { "callingHours.days[\(index)]" }
            guard let day = check.object(item, at: path(), required: true) else { continue }
            check.rejectUnknownMembers(of: day, at: path(), writable: Self.dayMembers)
            let code = check.oneOf(day["day"], at: path() + ".day", KoreEnumSpelling.days, required: true)
            let start = time(day["start"], at: path() + ".start", &check)
            let end = time(day["end"], at: path() + ".end", &check)
            if let start, let end, !(start < end) {
                check.fail(path() + ".end", "must be later than start (\(start.twentyFourHour))")
                continue
            }
            guard let code, let start, let end else { continue }
            days.append(.object(["day": .string(code), "start": .string(start.twelveHour), "end": .string(end.twelveHour)]))
        }
        return .array(days)
    }

    private static func time(_ value: JSONValue?, at field: @autoclosure () -> String, _ check: inout ReferenceWriteFieldChecker) -> TimeOfDay? {
        guard let text = check.string(value, at: field(), required: true) else { return nil }
        guard let time = TimeOfDay(twentyFourHour: text) else {
            check.fail(field(), "must be a 24-hour time HH:MM, 00:00 to 23:59")
            return nil
        }
        return time
    }
}


/// Normalized `voice` section -> Kore.ai's top-level and `dialingStrategy` members, with the voice rules of
/// docs/KORE-MAPPING.md:
/// - dialingMode agentless|progressive|preview, dialingOrder fifo|lifo, maxAttemptsPerRecord 1-100,
///   retryPeriodMinutes 1-1440, maxRingTimeSeconds 5-120.
/// - queueName: required on create for progressive and preview. Kore.ai never shows `queue_name` on a record, so on
///   an update null means "keep the queue Kore.ai holds" (nothing is sent); a value replaces it.
/// - maxSkips required for preview, sent when present otherwise.
/// - machineDetection off|detect|disconnect: v1 sends a boolean and cannot express disconnect; v2 agentless sends
///   no|detect|disconnect; v2 progressive/preview send nothing and accept only off. Null means off, except on a v2
///   update, where it means "keep Kore.ai's setting": v2 never shows `enableMachineDetect` on a record.
/// - useSystemMappings goes to v2's `dialingStrategy.useSystemMappings`; v1 has no such setting, so there only true
///   (asking for something v1 cannot do) is refused, and false or null send nothing.
/// - experienceFlowName: required on create for agentless (Kore.ai's create-agentless pages); Kore.ai shows only the
///   flow's id (`experienceFlowId`, read-only), so on an update null keeps the flow.
struct ReferenceVoiceSectionWriter {
    let version: UpstreamVersion
    var creating = false

    static let writable: Set<String> = [
        "dialingMode", "dialingOrder", "maxAttemptsPerRecord", "retryPeriodMinutes", "maxRingTimeSeconds", "maxSkips",
        "machineDetection", "queueName", "useSystemMappings", "experienceFlowName",
    ]
    /// The integer settings: normalized name, Kore.ai's `dialingStrategy` name, accepted range.
    static let numbers: [(normalized: String, upstream: String, range: ClosedRange<Int>)] = [
        ("maxAttemptsPerRecord", "maxAttemptsPerRecord", 1...100),
        ("retryPeriodMinutes", "defaultRetryPeriod", 1...1440),
        ("maxRingTimeSeconds", "maxRingTime", 5...120),
    ]
    /// Shown on reads, ignored on writes (Kore.ai takes the flow by name).
    static let readOnly: Set<String> = ["experienceFlowId"]

    func write(_ value: JSONValue?, into out: inout JSONObject, strategy: inout JSONObject,
               _ check: inout ReferenceWriteFieldChecker) {
        defer { out["dialingStrategy"] = .object(strategy) }
        guard let voice = check.object(value, at: "voice", required: true) else { return }
        check.rejectUnknownMembers(of: voice, at: "voice", writable: Self.writable, readOnly: Self.readOnly)

        let modes = KoreEnumSpelling.dialingModeNames
        let mode = check.oneOf(voice["dialingMode"], at: "voice.dialingMode", modes, required: true)
        if let mode { out["dialingMode"] = KoreEnumSpelling.upstream(mode, in: KoreEnumSpelling.dialingMode).map(JSONValue.string) }

        let orders = KoreEnumSpelling.dialingOrderNames
        if let order = check.oneOf(voice["dialingOrder"], at: "voice.dialingOrder", orders, required: true) {
            strategy["dialingOrder"] = KoreEnumSpelling.upstream(order, in: KoreEnumSpelling.dialingOrder).map(JSONValue.string)
        }
        for field in Self.numbers {
            if let number = check.integer(voice[field.normalized], at: "voice." + field.normalized, in: field.range, required: true) {
                strategy[field.upstream] = .int(number)
            }
        }
        if version == .v2 {
            if let mappings = check.bool(voice["useSystemMappings"], at: "voice.useSystemMappings", required: false) {
                strategy["useSystemMappings"] = .bool(mappings)
            }
        } else if check.bool(voice["useSystemMappings"], at: "voice.useSystemMappings", required: false) == true {
            check.fail("voice.useSystemMappings", "cannot be true for this tenant's upstream version (v1), which has no system mappings; send false or null")
        }

        let needsQueue = creating && (mode == "progressive" || mode == "preview")
        if let queue = check.string(voice["queueName"], at: "voice.queueName", required: needsQueue) {
            out["queue_name"] = .string(queue)
        }
        if let skips = check.integer(voice["maxSkips"], at: "voice.maxSkips", in: 0...Int.max, required: mode == "preview") {
            out["maxSkips"] = .int(skips)
        }
        if let flow = check.string(voice["experienceFlowName"], at: "voice.experienceFlowName",
                                    required: creating && mode == "agentless") {
            out["experienceFlowName"] = .string(flow)
        }
        machineDetection(voice["machineDetection"], mode: mode, into: &out, &check)
    }

    private func machineDetection(_ value: JSONValue?, mode: String?, into out: inout JSONObject,
                                  _ check: inout ReferenceWriteFieldChecker) {
        let field = "voice.machineDetection"
        let names = KoreEnumSpelling.machineDetectionV2Names
        let setting: String
        if ReferenceWriteFieldChecker.isMissing(value) {
            if version == .v2 && !creating { return }  // v2 never shows it: null keeps what Kore.ai holds
            setting = "off"
        } else if let given = check.oneOf(value, at: field, names, required: true) {
            setting = given
        } else {
            return
        }
        switch version {
        case .v1:
            guard setting != "disconnect" else {
                check.fail(field, "cannot be disconnect for this tenant's upstream version (v1); use off or detect")
                return
            }
            out["enableMachineDetect"] = .bool(setting == "detect")
        case .v2:
            guard let mode else { return }  // the dialing mode's own error is already reported
            if mode == "agentless" {
                out["enableMachineDetect"] = KoreEnumSpelling.upstream(setting, in: KoreEnumSpelling.machineDetectionV2)
                    .map(JSONValue.string)
            } else if setting != "off" {
                check.fail(field, "must be off for \(mode) campaigns (machine detection is agentless only in v2)")
            }
        }
    }
}


/// Normalized `sms` section -> Kore.ai's `format`, `message {message, templateId, template_name}` and
/// `experienceFlowName`. The text is sent as Base64 of its UTF-8 for both versions; `experienceFlowId`
/// is read-only (Kore.ai takes the flow by name on writes).
///
/// On create, each of Kore.ai's three SMS variants needs its own member: plain text (`simple`/`basic`, no template)
/// needs `text`; a template (`simple`/`basic` with `template`) needs `template.name` (Kore.ai's `template_name`);
/// `advanced` needs `experienceFlowName`.
struct ReferenceSMSSectionWriter {
    var creating = false

    static let writable: Set<String> = ["format", "template", "text", "experienceFlowName"]
    static let readOnly: Set<String> = ["experienceFlowId"]

    func write(_ value: JSONValue?, into out: inout JSONObject, _ check: inout ReferenceWriteFieldChecker) {
        guard let sms = check.object(value, at: "sms", required: true) else { return }
        check.rejectUnknownMembers(of: sms, at: "sms", writable: Self.writable, readOnly: Self.readOnly)

        let formats = KoreEnumSpelling.smsFormatNames
        let format = check.oneOf(sms["format"], at: "sms.format", formats, required: true)
        if let format {
            out["format"] = KoreEnumSpelling.upstream(format, in: KoreEnumSpelling.smsFormat).map(JSONValue.string)
        }
        let advanced = format == "advanced"
        let usesTemplate = !ReferenceWriteFieldChecker.isMissing(sms["template"])
        var message = JSONObject()
        if let text = check.string(sms["text"], at: "sms.text", required: creating && format != nil && !advanced && !usesTemplate) {
            message["message"] = .string(SMSTextCoding.encode(text))
        }
        if let template = check.object(sms["template"], at: "sms.template", required: false) {
            check.rejectUnknownMembers(of: template, at: "sms.template", writable: ["id", "name"])
            let id = check.string(template["id"], at: "sms.template.id", required: false)
            let name = check.string(template["name"], at: "sms.template.name", required: creating && !advanced)
            if id == nil && name == nil && ReferenceWriteFieldChecker.isMissing(template["id"])
                && ReferenceWriteFieldChecker.isMissing(template["name"]) {
                check.fail("sms.template", "must have an id or a name (or be null)")
            }
            if let id { message["templateId"] = .string(id) }
            if let name { message["template_name"] = .string(name) }
        }
        if !message.isEmpty { out["message"] = .object(message) }
        if let flow = check.string(sms["experienceFlowName"], at: "sms.experienceFlowName",
                                    required: creating && advanced) {
            out["experienceFlowName"] = .string(flow)
        }
    }
}

