/// `ListNormalizer` from bytes to bytes: each result written by the same record writer as a single campaign, then
/// the page figures. Nil means "not handled here" (every error and rare shape): the caller runs `ListNormalizer`.
public enum ByteListNormalizer {
    public static func normalize(upstreamBody: [UInt8], query: CampaignListQuery, type: CampaignType,
                                 version: UpstreamVersion) -> ListNormalizer.Output? {
        ByteNormalizerState.writing(upstreamBody, type: type, version: version) { (state) throws(ByteNormalizerState.Unhandled) in
            try state.normalizeList(query: query)
        }
    }
}

extension ByteNormalizerState {
    mutating func normalizeList(query: CampaignListQuery) throws(Unhandled) -> ListNormalizer.Output {
        guard let document = scan.document(), document.kind == .object else { throw Unhandled() }
        let root = try cursor(document, .envelope)
        if let status = peek(root, .status), !lowercasedIs(status.value, "success") { throw Unhandled() }
        guard let data = peek(root, .data), data.value.kind == .object else { throw Unhandled() }
        let list = try cursor(data.value, .envelope)
        var unknown: [String] = [], unreadable: [String] = []
        var count = 0
        write("{\"campaigns\":[")
        if let results = peek(list, .results), !results.value.isNull {
            guard results.value.kind == .array else { throw Unhandled() }
            var next = results.value.tapeIndex + 1
            while next < results.value.tapeNext {
                guard let item = scan.element(at: next, of: results.value), item.kind == .object else { throw Unhandled() }
                next = item.tapeNext
                if count > 0 { out.append(UInt8(ascii: ",")) }
                // Each record's members and leftovers are its own: the index is cut back after it.
                let memberBase = members.count
                recordLeftovers.removeAll(keepingCapacity: true)
                strategyLeftovers.removeAll(keepingCapacity: true)
                var record = try cursor(item, .record)
                let mapped = try mapRecord(&record, fallbackID: nil, envelopeLeftovers: [])
                unknown += mapped.unknownFields
                unreadable += mapped.unreadableFields
                members.removeSubrange(memberBase...)
                count += 1
            }
        }
        let total = try listCount(peek(list, .totalResults)?.value) ?? count
        // As ListNormalizer: division first, and no division by a zero limit.
        let limit = max(query.limit, 1)
        let computedPages = total / limit + (total % limit == 0 ? 0 : 1)
        let totalPages = try listCount(peek(list, .totalPages)?.value) ?? computedPages
        let hasMore: Bool
        switch peek(list, .hasMore)?.value.kind {
        case .true?: hasMore = true
        case .false?: hasMore = false
        default: hasMore = query.page < totalPages
        }
        write("],\"page\":")
        out.append(decimal: query.page)
        write(",\"limit\":")
        out.append(decimal: query.limit)
        write(",\"total\":")
        out.append(decimal: total)
        write(",\"totalPages\":")
        out.append(decimal: totalPages)
        write(",\"hasMore\":")
        write(hasMore ? "true" : "false")
        out.append(UInt8(ascii: "}"))
        return ListNormalizer.Output(body: [], unknownFields: unknown, unreadableFields: unreadable)
    }

    /// `ListNormalizer.count`: a non-negative integer literal, nil otherwise; an integer beyond any real count is the
    /// tree's error to give.
    func listCount(_ value: ScannedValue?) throws(Unhandled) -> Int? {
        guard let value, value.kind == .number else { return nil }
        let range = value.start..<value.end
        guard let number = Self.decimal(bytes, trimmingSpaces: range) else {
            if bytes[range].allSatisfy(UpstreamJSONScanner.isDigit) { throw Unhandled() }
            return nil
        }
        guard number >= 0 else { return nil }
        guard number <= ListNormalizer.maxExactCount else { throw Unhandled() }
        return number
    }
}
