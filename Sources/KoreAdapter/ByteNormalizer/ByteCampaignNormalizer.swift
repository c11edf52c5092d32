/// Kore.ai's campaign answer to the gateway's success envelope straight from bytes to bytes: the answer is read in
/// place (`UpstreamJSONScanner`), and the normalized answer written once, member by member, in the order and with
/// the bytes `CampaignNormalizer` (the tree normalizer, the reference) produces.
///
/// Nil means "not handled here": the caller runs the tree normalizer, which owns every error and every rare shape.
/// That covers anything that is not a well-formed campaign envelope, what this path does not reproduce exactly (a key
/// twice, escaped or dotted keys, non-ASCII enum spellings), and reads (`get`), whose `notWritableAsRead` runs the
/// write rules on the normalized campaign as a tree.
public enum ByteCampaignNormalizer {
    public static func normalize(upstreamBody: [UInt8], operation: CampaignOperation, type: CampaignType,
                                 version: UpstreamVersion) -> NormalizedResponse? {
        guard operation != .get else { return nil }
        return ByteNormalizerState.writing(upstreamBody, type: type, version: version) { (state) throws(ByteNormalizerState.Unhandled) in
            try state.normalize(operation: operation)
        }
    }
}

extension ByteNormalizerState {
    /// `CampaignNormalizer.mapped` and `normalize`: the envelope rules, then the record, then the message. The body
    /// is what was written to `out` (`writing` puts it in).
    mutating func normalize(operation: CampaignOperation) throws(Unhandled) -> NormalizedResponse {
        guard let document = scan.document(), document.kind == .object else { throw Unhandled() }
        let root = try cursor(document, .envelope)
        var upstreamMessage: ScannedValue?
        var envelopeLeftovers: [Leftover] = []
        var record: ByteFieldCursor
        var fallbackID: ScannedMember?
        write("{\"campaign\":")
        if let data = peek(root, .data) {
            guard data.value.kind == .object else { throw Unhandled() }
            if let status = peek(root, .status), !lowercasedIs(status.value, "success") { throw Unhandled() }
            for i in root.members {
                let member = members[i]
                let key = member.keyStart..<member.keyEnd
                let offset = i - root.members.lowerBound
                if offset == root.offset(.status) || offset == root.offset(.message) || offset == root.offset(.data) {
                    continue
                }
                if offset == root.offset(.id) { fallbackID = member; continue }
                try requirePlainKey(member)
                envelopeLeftovers.append(Leftover(prefix: .envelope, key: key, value: member.value, unreadable: false))
            }
            if let message = peek(root, .message) {
                if message.value.kind == .string {
                    if !message.value.content.isEmpty { upstreamMessage = message.value }
                } else if !message.value.isNull {
                    let key = members[message.index].keyStart..<members[message.index].keyEnd
                    envelopeLeftovers.append(Leftover(prefix: .envelope, key: key, value: message.value, unreadable: true))
                }
            }
            record = try cursor(data.value, .record)
        } else {
            if let status = peek(root, .status), status.value.kind == .string {
                // Only a plain ASCII status is compared here: the tree lowercases with Unicode's rules.
                guard !status.value.escaped, !status.value.nonASCII else { throw Unhandled() }
                if lowercasedIs(status.value, "failure") { throw Unhandled() }
            }
            // A flat record: a string `message` is the envelope's text, not an SMS message object.
            record = root.walked(as: .record)
            let untaken = record.taken
            if let message = take(&record, .message) {
                if message.kind == .string {
                    if !message.content.isEmpty { upstreamMessage = message }
                } else {
                    record.taken = untaken  // not a text: it stays in the record
                }
            }
        }
        let mapped = try mapRecord(&record, fallbackID: fallbackID, envelopeLeftovers: envelopeLeftovers)
        write(",\"message\":")
        if let upstreamMessage {
            writeString(upstreamMessage)
        } else {
            write("\"Campaign ")
            if let subject = mapped.name ?? mapped.id {
                writeStringContent(subject)
                out.append(UInt8(ascii: " "))
            }
            var pastTense = operation.pastTense
            pastTense.withUTF8 { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        // `if let` rather than `map(text)`: a method reference captures a copy of the whole state.
        var name: String?, id: String?
        if let value = mapped.name { name = text(value) }
        if let value = mapped.id { id = text(value) }
        return NormalizedResponse(body: [], campaignName: name, unknownFields: mapped.unknownFields,
                                  unreadableFields: mapped.unreadableFields, recordType: mapped.recordType,
                                  campaignID: id, campaignBytes: mapped.campaign)
    }
}
