import JSONCore

/// Normalized `callingHours` -> Kore.ai's `dialingStrategy.callingHours`, with its validation: frequency
/// weekly|daily|custom, a real IANA time zone, and days `MO`..`SU` with 24-hour `start` < `end`, written back as
/// `"9:00 AM"`.
enum CallingHoursWriter {
    static let members: MemberNames = ["frequency", "timezone", "days"]
    static let dayMembers: MemberNames = ["day", "start", "end"]
    static let frequencies = KoreEnumSpelling.names(KoreEnumSpelling.frequency)

    static func upstream<V: WriteBodyValue>(_ value: V?, _ check: inout WriteFieldChecker) -> UpstreamCampaignFields.CallingHours? {
        guard let hours = check.object(value, at: "callingHours", required: true) else { return nil }
        check.rejectUnknownMembers(of: hours, at: "callingHours", writable: Self.members)
        var out = UpstreamCampaignFields.CallingHours()
        if let frequency = check.oneOf(hours["frequency"], at: "callingHours.frequency", Self.frequencies, required: true) {
            out.frequency = KoreEnumSpelling.upstream(frequency, in: KoreEnumSpelling.frequency)
        }
        if let zone = check.string(hours["timezone"], at: "callingHours.timezone", required: true) {
            if isIANAZone(zone) {
                out.timezone = zone
            } else {
                check.fail("callingHours.timezone", "must be an IANA time zone such as Asia/Kolkata")
            }
        }
        out.days = days(hours["days"], &check)
        return out
    }

    /// A name from the IANA time zone database (`Asia/Kolkata`, `UTC`, `Etc/GMT+5`, links such as `US/Eastern`),
    /// looked up in the table `scripts/gen-timezones` generates from tzdata. Offset spellings such as `GMT+5` are not
    /// names there, and Kore.ai's `timezone` (an IANA name, "for example Asia/Kolkata") would not understand them.
    /// Every name is ASCII, and only ASCII is checked against the table: `Set<String>` matches canonically equivalent
    /// spellings, so "Asia/\u{212A}olkata" (a Kelvin sign for the K) would pass and reach Kore.ai as it was sent.
    static func isIANAZone(_ identifier: String) -> Bool {
        identifier.utf8.count <= 64 && identifier.utf8.allSatisfy { $0 < 0x80 } && IANATimeZoneNames.all.contains(identifier)
    }

    private static func days<V: WriteBodyValue>(_ value: V?, _ check: inout WriteFieldChecker)
        -> [(code: String, start: TimeOfDay, end: TimeOfDay)]? {
        if WriteFieldChecker.isMissing(value) {
            check.fail("callingHours.days", "is required (at least one day)")
            return nil
        }
        guard let items = value?.arrayValue else {
            check.fail("callingHours.days", "must be an array of {day, start, end}")
            return nil
        }
        if items.isEmpty { check.fail("callingHours.days", "must contain at least one day") }
        var days: [(code: String, start: TimeOfDay, end: TimeOfDay)] = []
        days.reserveCapacity(items.count)
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
            days.append((code, start, end))
        }
        return days
    }

    private static func time<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, _ check: inout WriteFieldChecker) -> TimeOfDay? {
        guard let text = check.string(value, at: field(), required: true) else { return nil }
        guard let time = TimeOfDay(twentyFourHour: text) else {
            check.fail(field(), "must be a 24-hour time HH:MM, 00:00 to 23:59")
            return nil
        }
        return time
    }
}
