import JSONCore

/// The gateway's schedule body -> Kore.ai's schedule body, and Kore.ai's schedule answer -> the gateway's.
///
/// Normalized: `{"start": "2026-01-05T09:00:00", "end": "2026-03-31T18:00", "recurrence": {"every": "day"|"week",
/// "interval": N, "days": ["MO", ...]}}`. Kore.ai: `{"startDateTime": "2026-01-05 09:00:00", "endDateTime": ...,
/// "recurrenceObject": {"recurType": "Daily", "dailyDetails": {"onceEveryNdays": N}}}` or
/// `{"recurType": "Weekly", "weeklyDetails": {"onceEveryNweeks": N, "whichDays": ["Mon", ...]}}`.
///
/// Rules (every failing field reported at once):
/// - `start` and `end`: ISO 8601 local date-times `YYYY-MM-DDTHH:MM[:SS]`, real calendar dates, `end` after `start`.
///   ◆ No offset and no `Z`: Kore.ai's `"YYYY-MM-DD HH:mm:ss"` carries no zone, so a zone the gateway could not pass
///   on is refused rather than silently dropped. ◆ "End later than now" (Kore.ai's rule) is left to Kore.ai, which
///   knows the zone it reads the time in.
/// - `recurrence.every`: `day` or `week`; `interval` an integer of at least 1 (◆ no upper bound is invented);
///   `days` (`MO`..`SU`, no repeats) required and non-empty for `week`, absent, null or empty for `day`.
/// - ◆ The weekly page's table names the object `dailyDetails` while its sample sends `weeklyDetails`: the sample's
///   `weeklyDetails` is sent.
public enum ScheduleTranslator {
    static let members: MemberNames = ["start", "end", "recurrence"]
    static let recurrenceMembers: MemberNames = ["every", "interval", "days"]
    static let upstreamDays = ["MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"]

    public static func upstreamBody(fromNormalized body: JSONValue) -> Result<[UInt8], CampaignValidationFailure> {
        upstreamValue(fromNormalized: body).map(\.bytes)
    }

    public static func upstreamValue(fromNormalized body: JSONValue) -> Result<JSONValue, CampaignValidationFailure> {
        var check = WriteFieldChecker()
        guard case .object(let schedule) = body else {
            check.fail("", "must be a JSON object (the schedule), not \(body.kindName)")
            return .failure(CampaignValidationFailure(errors: check.errors))
        }
        check.rejectUnknownMembers(of: schedule, at: "", writable: members)
        let start = dateTime(schedule["start"], at: "start", &check)
        let end = dateTime(schedule["end"], at: "end", &check)
        if let start, let end, !(start < end) { check.fail("end", "must be later than start") }
        var out = JSONObject()
        if let start { out["startDateTime"] = .string(start) }
        if let end { out["endDateTime"] = .string(end) }
        if let recurrence = check.object(schedule["recurrence"], at: "recurrence", required: true) {
            check.rejectUnknownMembers(of: recurrence, at: "recurrence", writable: recurrenceMembers)
            let every = check.oneOf(recurrence["every"], at: "recurrence.every", ["day", "week"], required: true)
            let interval = check.integer(recurrence["interval"], at: "recurrence.interval", in: 1...Int.max, required: true)
            let days = self.days(recurrence["days"], weekly: every == "week", &check)
            if let every, let interval {
                if every == "day" {
                    out["recurrenceObject"] = .object(["recurType": .string("Daily"), "dailyDetails": .object(["onceEveryNdays": .int(interval)])])
                } else if let days {
                    out["recurrenceObject"] = .object([
                        "recurType": .string("Weekly"),
                        "weeklyDetails": .object(["onceEveryNweeks": .int(interval), "whichDays": .array(days.map(JSONValue.string))]),
                    ])
                }
            }
        }
        if !check.errors.isEmpty { return .failure(CampaignValidationFailure(errors: check.errors)) }
        return .success(.object(out))
    }

    /// The gateway's schedule answer: `{"schedule": {"id", "type", "enabled", "start", "end", "recurrence"},
    /// "message"}`. `requested` is the normalized body that was sent (nil when disabling: every detail `null`).
    /// Kore.ai answers `{"status": "success", "message", "id"}`; its `message` is kept when non-empty.
    public static func normalizedAnswer(upstreamBody: [UInt8], id: String, type: CampaignType, name: String?,
                                        requested: JSONValue?) throws(NormalizationError) -> [UInt8] {
        let root = try UpstreamEnvelope.root(upstreamBody)
        try UpstreamEnvelope.requireSuccess(root, "schedule")
        let enabled = requested != nil
        let subject = name ?? id
        var message = root["message"]?.stringValue ?? ""
        if message.isEmpty { message = enabled ? "Campaign \(subject) scheduled" : "Campaign \(subject) schedule disabled" }
        let schedule: JSONValue = .object([
            "id": .string(id),
            "type": .string(type.rawValue),
            "enabled": .bool(enabled),
            "start": requested?["start"] ?? .null,
            "end": requested?["end"] ?? .null,
            "recurrence": requested?["recurrence"] ?? .null,
        ])
        return JSONValue.object(["schedule": schedule, "message": .string(message)]).bytes
    }

    /// `YYYY-MM-DDTHH:MM[:SS]` -> `YYYY-MM-DD HH:MM:SS`, or nil with a field error.
    static func dateTime(_ value: JSONValue?, at field: String, _ check: inout WriteFieldChecker) -> String? {
        guard let text = check.string(value, at: field, required: true) else { return nil }
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for b in bytes[range] {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
            }
            return value
        }
        let message = "must be a local date-time YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (no offset: Kore.ai's schedule times carry no zone)"
        guard bytes.count == 16 || bytes.count == 19,
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes.count == 16 || bytes[16] == UInt8(ascii: ":"),
              let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
              let hour = digits(11..<13), let minute = digits(14..<16) else {
            check.fail(field, message)
            return nil
        }
        let second = bytes.count == 19 ? digits(17..<19) : 0
        guard let second, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else {
            check.fail(field, "is not a real date and time")
            return nil
        }
        let datePart = String(decoding: bytes[0..<10], as: UTF8.self)
        let timePart = String(decoding: bytes[11..<16], as: UTF8.self)
        let secondsPart = second < 10 ? "0\(second)" : String(second)
        return datePart + " " + timePart + ":" + secondsPart
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func days(_ value: JSONValue?, weekly: Bool, _ check: inout WriteFieldChecker) -> [String]? {
        let field = "recurrence.days"
        if WriteFieldChecker.isMissing(value) {
            if weekly { check.fail(field, "is required for a weekly schedule (at least one of MO..SU)") }
            return nil
        }
        guard case .array(let items)? = value else {
            check.fail(field, "must be an array of MO, TU, WE, TH, FR, SA, SU")
            return nil
        }
        if !weekly {
            if !items.isEmpty { check.fail(field, "applies to weekly schedules only") }
            return nil
        }
        if items.isEmpty { check.fail(field, "must name at least one day") }
        var out: [String] = []
        var seen = Set<String>()
        var valid = !items.isEmpty
        for (index, item) in items.enumerated() {
            guard let code = item.stringValue, let upstream = upstreamDays[code] else {
                check.fail("\(field)[\(index)]", "must be one of MO, TU, WE, TH, FR, SA, SU")
                valid = false
                continue
            }
            if !seen.insert(code).inserted {
                check.fail("\(field)[\(index)]", "repeats \(code)")
                valid = false
            }
            out.append(upstream)
        }
        return valid ? out : nil
    }
}
