import TextCoding

/// The nested parts of the normalized campaign: calling hours and their days, the voice and SMS sections, the
/// schedule, as `UpstreamCampaignMapper` builds them.
extension ByteNormalizerState {
    mutating func writeCallingHours(_ strategy: inout ByteFieldCursor?) throws(Unhandled) {
        guard var outer = strategy else { write("null"); return }
        defer { strategy = outer }
        guard var hours = try child(&outer, .callingHours, as: .callingHours) else { write("null"); return }
        write("{\"frequency\":")
        try writeLowercased(&hours, .frequency)
        write(",\"timezone\":")
        writeString(&hours, .timezone)
        write(",\"days\":")
        try writeDays(&hours)
        out.append(UInt8(ascii: "}"))
        try absorb(hours)
    }

    /// Each day as `{day, start, end}` with 24-hour times; a time that does not parse is written as sent.
    mutating func writeDays(_ hours: inout ByteFieldCursor) throws(Unhandled) {
        guard let value = take(&hours, .days), !value.isNull else { write("null"); return }
        guard value.kind == .array else { keep(hours, .days, value); write("null"); return }
        out.append(UInt8(ascii: "["))
        var written = 0
        let words = UsualDayKeys()
        var next = value.tapeIndex + 1
        var index = -1
        while next < value.tapeNext {
            guard let item = scan.element(at: next, of: value) else { throw Unhandled() }
            next = item.tapeNext
            index += 1
            if let usual = usualDay(item, words) {
                if written > 0 { out.append(UInt8(ascii: ",")) }
                written += 1
                write("{\"day\":")
                writeString(usual.day)
                write(",\"start\":")
                writeTime(usual.start)
                write(",\"end\":")
                writeTime(usual.end)
                out.append(UInt8(ascii: "}"))
                continue
            }
            guard item.kind == .object else {
                append(Leftover(prefix: .day(index), key: nil, value: item, unreadable: true))
                continue
            }
            var day = try cursor(item, .day(index))
            if written > 0 { out.append(UInt8(ascii: ",")) }
            written += 1
            write("{\"day\":")
            writeString(&day, .day)
            write(",\"start\":")
            writeTime(&day, .start)
            write(",\"end\":")
            writeTime(&day, .end)
            out.append(UInt8(ascii: "}"))
            try absorb(day)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The first eight bytes of the keys of a day, as words (computed once per list of days).
    struct UsualDayKeys {
        let day = StaticString("day").withUTF8Buffer { ScannedMember.prefix($0) }
        let start = StaticString("start").withUTF8Buffer { ScannedMember.prefix($0) }
        let end = StaticString("end").withUTF8Buffer { ScannedMember.prefix($0) }
    }

    /// A day exactly as Kore.ai sends it: an object of the three members `day`, `start` and `end`, in any order, each
    /// once, each a string. Its members are read straight from the tape (no cursor, nothing left over); what the
    /// general path would write for it is exactly these three strings. Nil for any other day, which the general path
    /// writes.
    func usualDay(_ item: ScannedValue, _ words: UsualDayKeys) -> (day: ScannedValue, start: ScannedValue, end: ScannedValue)? {
        guard item.kind == .object else { return nil }
        var day: ScannedValue?, start: ScannedValue?, end: ScannedValue?
        let exact = scan.tape.withUnsafeBufferPointer { tape -> Bool in
            var i = item.tapeIndex + 1
            var seen = 0
            while i < item.tapeNext {
                guard i >= 0, i < tape.count, seen < 3 else { return false }
                seen += 1
                let value = tape[i].value
                guard value.kind == .string, value.tapeNext > i else { return false }
                let length = tape[i].keyLength, word = tape[i].keyPrefix
                if length == 3 && word == words.day && day == nil {
                    day = value
                } else if length == 5 && word == words.start && start == nil {
                    start = value
                } else if length == 3 && word == words.end && end == nil {
                    end = value
                } else {
                    return false
                }
                i = value.tapeNext
            }
            return true
        }
        guard exact, let day, let start, let end else { return nil }
        return (day, start, end)
    }

    /// Kore.ai's `"9:00 AM"` as `"09:00"`; anything else as sent.
    mutating func writeTime(_ day: inout ByteFieldCursor, _ key: KnownKey) {
        guard let value = stringMember(&day, key) else { write("null"); return }
        writeTime(value)
    }

    /// A time string: `"09:00"` when it parses, else as sent.
    mutating func writeTime(_ value: ScannedValue) {
        let time: TimeOfDay?
        if value.escaped {
            time = TimeOfDay(twelveHourUTF8: decodedContent(value)[...])
        } else {
            let range = value.content
            time = bytes.withUnsafeBufferPointer { all in
                range.lowerBound >= 0 && range.upperBound <= all.count
                    ? TimeOfDay(twelveHourUTF8: UnsafeBufferPointer(rebasing: all[range])) : nil
            }
        }
        guard let time else { writeString(value); return }
        out.append(UInt8(ascii: "\""))
        out.append(twentyFourHour: time)
        out.append(UInt8(ascii: "\""))
    }

    mutating func writeVoiceSection(_ cursor: inout ByteFieldCursor, strategy: inout ByteFieldCursor?) throws(Unhandled) {
        write("{\"dialingMode\":")
        let mode = try writeLowercased(&cursor, .dialingMode)
        write(",\"dialingOrder\":")
        if var s = strategy { try writeLowercased(&s, .dialingOrder); strategy = s } else { write("null") }
        write(",\"maxAttemptsPerRecord\":")
        if var s = strategy { try writeInteger(&s, .maxAttemptsPerRecord); strategy = s } else { write("null") }
        write(",\"retryPeriodMinutes\":")
        if var s = strategy { try writeInteger(&s, .defaultRetryPeriod); strategy = s } else { write("null") }
        write(",\"maxRingTimeSeconds\":")
        if var s = strategy { try writeInteger(&s, .maxRingTime); strategy = s } else { write("null") }
        write(",\"maxSkips\":")
        try writeInteger(&cursor, .maxSkips)
        write(",\"machineDetection\":")
        try writeMachineDetection(&cursor)
        var queue = stringMember(&cursor, .queue_name)
        var flowName = stringMember(&cursor, .experienceFlowName)
        try connection(&cursor, agentless: lowercasedIs(mode, "agentless"), queue: &queue, flowName: &flowName)
        write(",\"queueName\":")
        if let queue { writeString(queue) } else { write("null") }
        write(",\"useSystemMappings\":")
        if var s = strategy { writeBool(&s, .useSystemMappings); strategy = s } else { write("null") }
        write(",\"experienceFlowId\":")
        writeString(&cursor, .experienceFlow)
        write(",\"experienceFlowName\":")
        if let flowName { writeString(flowName) } else { write("null") }
        out.append(UInt8(ascii: "}"))
    }

    /// `connection` (the list's name for the queue, or for agentless campaigns the experience flow) fills whichever
    /// is empty; one that disagrees with a value already read is kept.
    mutating func connection(_ cursor: inout ByteFieldCursor, agentless: Bool, queue: inout ScannedValue?,
                             flowName: inout ScannedValue?) throws(Unhandled) {
        guard let value = take(&cursor, .connection), !value.isNull else { return }
        guard value.kind == .string else { keep(cursor, .connection, value); return }
        if agentless {
            guard let current = flowName else { flowName = value; return }
            if try sameText(current, value) { return }
        } else {
            guard let current = queue else { queue = value; return }
            if try sameText(current, value) { return }
        }
        keep(cursor, .connection, value)
    }

    /// v1's boolean or v2's `no|detect|disconnect` (either from either version) as off, detect or disconnect.
    mutating func writeMachineDetection(_ cursor: inout ByteFieldCursor) throws(Unhandled) {
        guard let value = take(&cursor, .enableMachineDetect), !value.isNull else { write("null"); return }
        switch value.kind {
        case .true: write("\"detect\"")
        case .false: write("\"off\"")
        case .string:
            guard !value.escaped, !value.nonASCII else { throw Unhandled() }
            if lowercasedIs(value, "no") || lowercasedIs(value, "off") || lowercasedIs(value, "false") {
                write("\"off\"")
            } else if lowercasedIs(value, "detect") || lowercasedIs(value, "yes") || lowercasedIs(value, "true") {
                write("\"detect\"")
            } else if lowercasedIs(value, "disconnect") {
                write("\"disconnect\"")
            } else {
                keep(cursor, .enableMachineDetect, value)
                write("null")
            }
        default:
            keep(cursor, .enableMachineDetect, value)
            write("null")
        }
    }

    mutating func writeSMSSection(_ cursor: inout ByteFieldCursor) throws(Unhandled) {
        write("{\"format\":")
        try writeLowercased(&cursor, .format)
        write(",\"experienceFlowId\":")
        writeString(&cursor, .experienceFlow)
        write(",\"experienceFlowName\":")
        writeString(&cursor, .experienceFlowName)
        var templateID: ScannedValue?, templateName: ScannedValue?
        var text: String?
        if var message = try child(&cursor, .message, as: .message) {
            templateID = stringMember(&message, .templateId)
            templateName = stringMember(&message, .template_name)
            if let value = take(&message, .message), !value.isNull {
                if value.kind == .string {
                    switch SMSTextCoding.decode(self.text(value), version: version) {
                    case .text(let plain): text = plain
                    case .undecodable: keep(message, .message, value)
                    }
                } else {
                    keep(message, .message, value)
                }
            }
            try absorb(message)
        }
        write(",\"template\":")
        if templateID == nil && templateName == nil {
            write("null")
        } else {
            write("{\"id\":")
            if let templateID { writeString(templateID) } else { write("null") }
            write(",\"name\":")
            if let templateName { writeString(templateName) } else { write("null") }
            out.append(UInt8(ascii: "}"))
        }
        write(",\"text\":")
        if let text { out.appendLiteral(text) } else { write("null") }
        out.append(UInt8(ascii: "}"))
    }

    mutating func writeSchedule(_ cursor: inout ByteFieldCursor) throws(Unhandled) {
        guard var schedule = try child(&cursor, .schedule, as: .schedule) else { write("null"); return }
        write("{\"enabled\":")
        writeBool(&schedule, .isSchedulingEnabled)
        write(",\"recurrence\":")
        writeBool(&schedule, .isRecurrenceEnabled)
        out.append(UInt8(ascii: "}"))
        try absorb(schedule)
    }
}
