/// `UpstreamCampaignMapper.map` on bytes: one Kore.ai campaign record written as the normalized campaign, member by
/// member in the tree mapper's order (docs/KORE-MAPPING.md has the table).
extension ByteNormalizerState {
    /// What the envelope and the callers need besides the bytes written.
    struct MappedRecord {
        var name: ScannedValue?
        var id: ScannedValue?
        var recordType: String?
        /// Where the campaign object sits in `out`.
        var campaign: Range<Int>
        var unknownFields: [String] = []
        var unreadableFields: [String] = []
    }

    /// `fallbackID` is the envelope's `id` member (value and key); `envelopeLeftovers` the envelope's own leftovers.
    mutating func mapRecord(_ cursor: inout ByteFieldCursor, fallbackID: ScannedMember?,
                            envelopeLeftovers: [Leftover]) throws(Unhandled) -> MappedRecord {
        let start = out.count
        write("{\"id\":")
        let id = try writeID(&cursor, fallback: fallbackID)
        write(",\"type\":")
        write(type == .voice ? "\"voice\"" : "\"sms\"")
        write(",\"name\":")
        let name = writeString(&cursor, .name)
        _ = take(&cursor, .lname)  // version noise: a lowercase copy of the name
        write(",\"description\":")
        writeString(&cursor, .`description`)
        write(",\"status\":")
        try writeLowercased(&cursor, .status)
        write(",\"priority\":")
        try writeInteger(&cursor, .priority)
        write(",\"contactLists\":")
        try writeStringArray(&cursor, .contactLists)
        write(",\"dncList\":")
        try writeDNCList(&cursor)

        var strategy = try child(&cursor, .dialingStrategy, as: .strategy)
        write(",\"callerId\":")
        try writeCallerID(&strategy)
        write(",\"callingHours\":")
        try writeCallingHours(&strategy)
        switch type {
        case .voice:
            write(",\"voice\":")
            try writeVoiceSection(&cursor, strategy: &strategy)
        case .sms:
            write(",\"sms\":")
            try writeSMSSection(&cursor)
        }
        if let strategy {
            if !strategyLeftovers.isEmpty {
                recordLeftovers.append(contentsOf: strategyLeftovers)
                strategyLeftovers.removeAll()
            }
            try appendRemaining(strategy, to: &recordLeftovers)
        }

        write(",\"schedule\":")
        try writeSchedule(&cursor)
        write(",\"filtersEnabled\":")
        writeBool(&cursor, .isFiltersEnabled)
        write(",\"imported\":")
        writeBool(&cursor, .isImported)
        write(",\"instanceId\":")
        writeString(&cursor, .campaignInstanceId)
        write(",\"createdAt\":")
        writeString(&cursor, .createdAt)
        write(",\"updatedAt\":")
        writeString(&cursor, .updatedAt)

        // The record's own type: `campaignType` when present at all (even null), else `type`; taken either way.
        let stated = take(&cursor, .campaignType) ?? take(&cursor, .`type`)
        let recordType: String?
        if let stated, stated.kind == .string { recordType = text(stated) } else { recordType = inferredType(cursor) }

        write(",\"extensions\":")
        try appendRemaining(cursor, to: &recordLeftovers)
        recordLeftovers.append(contentsOf: envelopeLeftovers)
        var mapped = MappedRecord(name: name, id: id, recordType: recordType, campaign: start..<start)
        try writeExtensions(recordLeftovers, into: &mapped)
        out.append(UInt8(ascii: "}"))
        mapped.campaign = start..<out.count
        return mapped
    }

    /// `UpstreamCampaignMapper.inferredType`, over all the record's members (taken or not).
    func inferredType(_ cursor: ByteFieldCursor) -> String? {
        if let mode = present(cursor, .dialingMode), !mode.value.isNull { return "voice" }
        if let format = present(cursor, .format), !format.value.isNull { return "sms" }
        if let message = present(cursor, .message), message.value.kind == .object { return "sms" }
        return nil
    }

    /// One id from `_id`, `id`, the envelope's `id` or `campId`: the first string; every candidate is consumed, and
    /// one that is not that same string is kept.
    mutating func writeID(_ cursor: inout ByteFieldCursor, fallback: ScannedMember?) throws(Unhandled) -> ScannedValue? {
        let underscore = take(&cursor, ._id), plain = take(&cursor, .id), camp = take(&cursor, .campId)
        var chosen: ScannedValue?
        if let value = underscore, try isOtherID(value, &chosen) { keep(cursor, ._id, value) }
        if let value = plain, try isOtherID(value, &chosen) { keep(cursor, .id, value) }
        if let fallback, try isOtherID(fallback.value, &chosen) {
            append(Leftover(prefix: .envelope, key: fallback.keyStart..<fallback.keyEnd, value: fallback.value, unreadable: true))
        }
        if let value = camp, try isOtherID(value, &chosen) { keep(cursor, .campId, value) }
        if let chosen { writeString(chosen) } else { write("null") }
        return chosen
    }

    /// Whether an id candidate is kept: not null, and not a string equal to the chosen id (the first string is
    /// chosen).
    func isOtherID(_ value: ScannedValue, _ chosen: inout ScannedValue?) throws(Unhandled) -> Bool {
        if value.isNull { return false }
        guard value.kind == .string else { return true }
        guard let current = chosen else { chosen = value; return false }
        return try !sameText(current, value)
    }

    /// v2's `dncLists`: `{"id", "name"}`, null when absent or `[]`.
    mutating func writeDNCList(_ cursor: inout ByteFieldCursor) throws(Unhandled) {
        if let found = peek(cursor, .dncLists), found.value.kind == .array,
           isEmptyContainer(found.value) {
            _ = take(&cursor, .dncLists)
            write("null")
            return
        }
        guard var dnc = try child(&cursor, .dncLists, as: .dncLists) else { write("null"); return }
        write("{\"id\":")
        writeString(&dnc, .id)
        write(",\"name\":")
        writeString(&dnc, .name)
        out.append(UInt8(ascii: "}"))
        try absorb(dnc)
    }

    /// Whether an array value is empty (nothing on the tape after it before its end).
    func isEmptyContainer(_ array: ScannedValue) -> Bool {
        array.tapeNext == array.tapeIndex + 1
    }

    mutating func writeCallerID(_ strategy: inout ByteFieldCursor?) throws(Unhandled) {
        guard var outer = strategy else { write("null"); return }
        defer { strategy = outer }
        guard var caller = try child(&outer, .callerId, as: .callerId) else { write("null"); return }
        writeString(&caller, .phoneNumber)
        try absorb(caller)
    }
}
