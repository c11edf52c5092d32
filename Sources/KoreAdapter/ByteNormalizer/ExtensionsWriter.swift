import TextCoding

/// `extensions`: every member nobody took or that could not be read, under its upstream path, its value written as
/// the tree writes a parsed value (compact, strings re-escaped, numbers as their literal).
extension ByteNormalizerState {
    /// Writes the object and fills the mapped record's unknown and unreadable paths (the documented unmodelled
    /// members are neither). The prefixes keep paths distinct (keys hold no `.` or `[`), so unlike the tree no path
    /// can repeat. (No known field's path has a non-ASCII equivalent, so the tree's `Set` of unreadable paths
    /// classifies exactly as bytes do.)
    mutating func writeExtensions(_ leftovers: [Leftover], into mapped: inout MappedRecord) throws(Unhandled) {
        // Past 16 leftovers a non-ASCII path goes to the tree, for the reason `requireComparableKeys` gives.
        if leftovers.count > 16 {
            for leftover in leftovers {
                if let key = leftover.key, bytes[key].contains(where: { $0 >= 0x80 }) { throw Unhandled() }
            }
        }
        out.append(UInt8(ascii: "{"))
        var path: [UInt8] = []
        for (index, leftover) in leftovers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            path.removeAll(keepingCapacity: true)
            leftover.prefix.append(to: &path, keyFollows: leftover.key != nil)
            if let key = leftover.key { path.append(contentsOf: bytes[key]) }
            path.withUnsafeBufferPointer { out.appendLiteral(utf8: $0) }
            out.append(UInt8(ascii: ":"))
            try writeCopy(leftover.value)
            let text = String(decoding: path, as: UTF8.self)
            if leftover.unreadable {
                mapped.unreadableFields.append(text)
            } else if !CampaignNormalizer.documentedUnmodelledFields.contains(text) {
                mapped.unknownFields.append(text)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A value copied through as the tree writes it after reading it. An object in it with a key twice is left to
    /// the tree (its rule is first position, last value). The scanner bounded the nesting, so the recursion is too.
    mutating func writeCopy(_ value: ScannedValue) throws(Unhandled) {
        switch value.kind {
        case .string: writeString(value)
        case .number, .true, .false, .null: out.append(contentsOf: bytes[value.start..<value.end])
        case .array:
            out.append(UInt8(ascii: "["))
            var next = value.tapeIndex + 1
            while next < value.tapeNext {
                guard let item = scan.element(at: next, of: value) else { throw Unhandled() }
                if next > value.tapeIndex + 1 { out.append(UInt8(ascii: ",")) }
                try writeCopy(item)
                next = item.tapeNext
            }
            out.append(UInt8(ascii: "]"))
        case .object:
            let base = members.count
            defer { members.removeSubrange(base...) }
            guard let range = scan.members(of: value, into: &members), range.count <= 64 else { throw Unhandled() }
            try requireComparableKeys(range)
            out.append(UInt8(ascii: "{"))
            for i in range {
                let member = members[i]
                try requireDistinct(member.keyStart..<member.keyEnd, nonASCII: member.keyNonASCII, prefix: member.keyPrefix,
                                    from: range.lowerBound..<i, of: members)
                if i > range.lowerBound { out.append(UInt8(ascii: ",")) }
                bytes.withUnsafeBufferPointer { all in
                    out.appendLiteral(utf8: UnsafeBufferPointer(rebasing: all[member.keyStart..<member.keyEnd]))
                }
                out.append(UInt8(ascii: ":"))
                try writeCopy(member.value)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
