/// Where a member left over for `extensions` sits: the path of the object it belongs to, as `UpstreamFieldCursor`
/// spells it (`dialingStrategy.callingHours.days[2]`).
enum LeftoverPrefix: Equatable {
    case record, envelope, dncLists, strategy, callerId, callingHours, day(Int), message, schedule

    /// Members of `dialingStrategy` and of the objects inside it are collected apart from the record's: the tree
    /// keeps the strategy cursor open across the voice section and absorbs it only afterwards.
    var inStrategy: Bool {
        switch self {
        case .strategy, .callerId, .callingHours, .day: return true
        default: return false
        }
    }

    /// The path up to the member's key, its separator included ("" for the record itself).
    func append(to path: inout [UInt8], keyFollows: Bool) {
        let text: StaticString
        switch self {
        case .record: return
        case .envelope: text = "envelope."
        case .dncLists: text = "dncLists."
        case .strategy: text = "dialingStrategy."
        case .callerId: text = "dialingStrategy.callerId."
        case .callingHours: text = "dialingStrategy.callingHours."
        case .message: text = "message."
        case .schedule: text = "schedule."
        case .day(let index):
            text = "dialingStrategy.callingHours.days["
            text.withUTF8Buffer { path.append(contentsOf: $0) }
            path.append(contentsOf: String(index).utf8)
            path.append(UInt8(ascii: "]"))
            if keyFollows { path.append(UInt8(ascii: ".")) }
            return
        }
        text.withUTF8Buffer { path.append(contentsOf: $0) }
    }
}

/// One member headed for `extensions`: its path (prefix and key; no key for an array element kept whole), its value
/// in the input, and whether it was a known field whose value could not be read (else it is unknown drift).
struct Leftover {
    var prefix: LeftoverPrefix
    var key: Range<Int>?
    var value: ScannedValue
    var unreadable: Bool
}

/// One object being walked: its members (a range of the state's `members`) and which of them were taken.
/// At most 64 members, so the taken set is one word; a larger object goes to the tree normalizer.
struct ByteFieldCursor {
    let prefix: LeftoverPrefix
    let members: Range<Int>
    var taken: UInt64 = 0
}

extension ByteNormalizerState {
    /// Indexes an object to walk: members in document order, no key twice (the tree's last-value rule is not
    /// reproduced here), at most 64 members.
    mutating func cursor(_ object: ScannedValue, _ prefix: LeftoverPrefix) throws(Unhandled) -> ByteFieldCursor {
        guard let range = scan.members(of: object, into: &members), range.count <= 64 else { throw Unhandled() }
        try requireComparableKeys(range)
        for i in range {
            let key = members[i]
            try requireDistinct(key.keyStart..<key.keyEnd, nonASCII: key.keyNonASCII, prefix: key.keyPrefix,
                                from: range.lowerBound..<i, of: members)
        }
        return ByteFieldCursor(prefix: prefix, members: range)
    }

    /// A key that becomes part of a path holds no `.` or `[`: a path could otherwise name two members (a member
    /// `"a.b"` of the record and member `b` of its object `a`), which the tree would merge. Known keys never do, so
    /// only the members nobody took are checked.
    func requirePlainKey(_ member: ScannedMember) throws(Unhandled) {
        for b in bytes[member.keyStart..<member.keyEnd] where b == UInt8(ascii: ".") || b == UInt8(ascii: "[") {
            throw Unhandled()
        }
    }

    /// Keys whose equality bytes decide as the tree does. `JSONObject` compares keys of up to 16 members by length
    /// and then `String ==`, larger objects through a hash of the `String`, where canonically equivalent non-ASCII
    /// spellings of different lengths (`caf\u{e9}`, `cafe\u{301}`) are one key: objects that large with a non-ASCII
    /// key go to the tree.
    func requireComparableKeys(_ range: Range<Int>) throws(Unhandled) {
        guard range.count > 16 else { return }
        for i in range where members[i].keyNonASCII { throw Unhandled() }
    }

    /// No earlier key equal to `key`. Two different non-ASCII keys of one length might still be equal Swift strings
    /// (canonical equivalence), which the tree would merge: those go to the tree too. Length and first eight bytes
    /// first, the members read in place.
    func requireDistinct(_ key: Range<Int>, nonASCII: Bool, prefix: UInt64, from earlier: Range<Int>,
                         of members: [ScannedMember]) throws(Unhandled) {
        guard earlier.lowerBound >= 0, earlier.upperBound <= members.count else { throw Unhandled() }
        let repeated = members.withUnsafeBufferPointer { all in
            for j in earlier where all[j].keyLength == key.count {
                if nonASCII && all[j].keyNonASCII { return true }
                if all[j].keyPrefix == prefix
                    && (key.count <= 8 || bytes[all[j].keyStart..<all[j].keyEnd].elementsEqual(bytes[key])) { return true }
            }
            return false
        }
        if repeated { throw Unhandled() }
    }

    /// The member `key` not yet taken, without taking it. Length and first eight bytes first (the members' words
    /// were taken when they were scanned): they settle nearly every comparison; the rest of a longer key is compared
    /// only when they match. The members are read in place, not copied.
    func peek(_ cursor: ByteFieldCursor, _ key: StaticString) -> (index: Int, value: ScannedValue)? {
        let range = cursor.members
        guard range.lowerBound >= 0, range.upperBound <= members.count else { return nil }
        return key.withUTF8Buffer { expected in
            let length = expected.count
            let word = ScannedMember.prefix(expected)
            return members.withUnsafeBufferPointer { all in
                // Only the members not yet taken are visited, in document order: writers take keys roughly in the
                // order Kore.ai sends them, so most of a large object's earlier members are taken already.
                var untaken = ~cursor.taken & Self.allTaken(cursor)
                while untaken != 0 {
                    let i = range.lowerBound + untaken.trailingZeroBitCount
                    untaken &= untaken &- 1
                    guard all[i].keyPrefix == word, all[i].keyLength == length else { continue }
                    if length <= 8 || restEqual(all[i].keyStart, expected) { return (i, all[i].value) }
                }
                return nil
            }
        }
    }

    /// Whether the key starting at `start` continues past its first eight bytes as `expected` does (lengths equal).
    private func restEqual(_ start: Int, _ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { text in
            guard start >= 0, start + expected.count <= text.count else { return false }
            for j in 8..<expected.count where text[start + j] != expected[j] { return false }
            return true
        }
    }

    /// Takes member `key` (nil when absent; JSON null is returned as a null value).
    mutating func take(_ cursor: inout ByteFieldCursor, _ key: StaticString) -> ScannedValue? {
        guard let found = peek(cursor, key) else { return nil }
        cursor.taken |= 1 << UInt64(found.index - cursor.members.lowerBound)
        return found.value
    }

    /// The key range of member `key` (for a leftover's path); the member must exist.
    func keyRange(_ cursor: ByteFieldCursor, _ key: StaticString) -> Range<Int>? {
        var all = cursor
        all.taken = 0
        return peek(all, key).map { members[$0.index].keyStart..<members[$0.index].keyEnd }
    }

    /// Records a known member whose value cannot be read, as `UpstreamFieldCursor.keep` does.
    mutating func keep(_ cursor: ByteFieldCursor, _ key: StaticString, _ value: ScannedValue) {
        append(Leftover(prefix: cursor.prefix, key: keyRange(cursor, key), value: value, unreadable: true))
    }

    mutating func append(_ leftover: Leftover) {
        if leftover.prefix.inStrategy { strategyLeftovers.append(leftover) } else { recordLeftovers.append(leftover) }
    }

    /// What `UpstreamFieldCursor.absorb` adds to the parent: the child's kept members (already in the right list,
    /// since nothing else is kept while a child other than the strategy is open), then those nobody took.
    mutating func absorb(_ cursor: ByteFieldCursor) throws(Unhandled) {
        guard cursor.taken != Self.allTaken(cursor) else { return }  // the usual case: nothing left over
        for leftover in try remaining(cursor) { append(leftover) }
    }

    /// The taken set of a cursor whose every member was taken.
    static func allTaken(_ cursor: ByteFieldCursor) -> UInt64 {
        let count = cursor.members.count
        return count >= 64 ? ~0 : (1 << UInt64(count)) - 1
    }

    /// The members nobody took, in document order.
    func remaining(_ cursor: ByteFieldCursor) throws(Unhandled) -> [Leftover] {
        var result: [Leftover] = []
        for i in cursor.members where cursor.taken & (1 << UInt64(i - cursor.members.lowerBound)) == 0 {
            let member = members[i]
            try requirePlainKey(member)
            result.append(Leftover(prefix: cursor.prefix, key: member.keyStart..<member.keyEnd, value: member.value,
                                   unreadable: false))
        }
        return result
    }

    /// Takes member `key` and opens it as a nested cursor, as `UpstreamFieldCursor.child`: a value that is neither
    /// an object nor null is kept as unreadable.
    mutating func child(_ cursor: inout ByteFieldCursor, _ key: StaticString,
                        as prefix: LeftoverPrefix) throws(Unhandled) -> ByteFieldCursor? {
        guard let value = take(&cursor, key) else { return nil }
        switch value.kind {
        case .object: return try self.cursor(value, prefix)
        case .null: return nil
        default:
            keep(cursor, key, value)
            return nil
        }
    }
}
