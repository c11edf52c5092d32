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

/// One object being walked: its members (a range of the state's `members`), which of them were taken, and where
/// each known name sits among them. At most 64 members, so the taken set is one word and a slot one byte; a larger
/// object goes to the tree normalizer.
struct ByteFieldCursor {
    let prefix: LeftoverPrefix
    let members: Range<Int>
    var taken: UInt64 = 0
    /// Indexed by `KnownKey.rawValue`: the member's offset in `members`, or `absent`.
    var slots = SIMD64<UInt8>(repeating: ByteFieldCursor.absent)

    static let absent: UInt8 = 0xFF

    init(prefix: LeftoverPrefix, members: Range<Int>) {
        self.prefix = prefix
        self.members = members
    }

    /// The same object walked afresh under another prefix (its slots kept, nothing taken).
    func walked(as prefix: LeftoverPrefix) -> ByteFieldCursor {
        var cursor = ByteFieldCursor(prefix: prefix, members: members)
        cursor.slots = slots
        return cursor
    }

    /// The offset of member `key` in `members` (taken or not).
    @inline(__always)
    func offset(_ key: KnownKey) -> Int? {
        let slot = slots[Int(key.rawValue)]
        return slot == Self.absent ? nil : Int(slot)
    }
}

extension ByteNormalizerState {
    /// Indexes an object to walk: members in document order, no key twice (the tree's last-value rule is not
    /// reproduced here), at most 64 members. Each member's key is resolved to its known name once, into the
    /// cursor's slots: a known name met twice is a slot already filled. Keys no writer asks for are compared only
    /// with each other (a known name is ASCII and spelled exactly, so no other key can equal it as the tree compares).
    mutating func cursor(_ object: ScannedValue, _ prefix: LeftoverPrefix) throws(Unhandled) -> ByteFieldCursor {
        guard let range = scan.members(of: object, into: &members), range.count <= 64 else { throw Unhandled() }
        try requireComparableKeys(range)
        var cursor = ByteFieldCursor(prefix: prefix, members: range)
        var unknown: UInt64 = 0  // offsets of the keys no writer asks for
        let distinctKnown = bytes.withUnsafeBufferPointer { b in
            members.withUnsafeBufferPointer { all in
                guard range.lowerBound >= 0, range.upperBound <= all.count else { return false }
                for i in range {
                    let member = all[i]
                    guard let known = KnownKey.identify(b, member.keyStart..<member.keyEnd, prefix: member.keyPrefix) else {
                        unknown |= 1 << UInt64(i &- range.lowerBound)
                        continue
                    }
                    let slot = Int(known.rawValue)
                    guard cursor.slots[slot] == ByteFieldCursor.absent else { return false }
                    cursor.slots[slot] = UInt8(truncatingIfNeeded: i &- range.lowerBound)
                }
                return true
            }
        }
        guard distinctKnown else { throw Unhandled() }
        var earlier: [Int] = []
        while unknown != 0 {
            let i = range.lowerBound + unknown.trailingZeroBitCount
            unknown &= unknown &- 1
            if !earlier.isEmpty {
                let key = members[i]
                try requireDistinct(key.keyStart..<key.keyEnd, nonASCII: key.keyNonASCII, prefix: key.keyPrefix,
                                    from: earlier, of: members)
            }
            earlier.append(i)
        }
        return cursor
    }

    /// A key that becomes part of a path holds no `.` or `[`: a path could otherwise name two members (a member
    /// `"a.b"` of the record and member `b` of its object `a`), which the tree would merge. Known keys never do, so
    /// only the members nobody took are checked.
    func requirePlainKey(_ member: ScannedMember) throws(Unhandled) {
        for b in bytes[member.keyStart..<member.keyEnd] where b == UInt8(ascii: ".") || b == UInt8(ascii: "[") {
            throw Unhandled()
        }
    }

    /// Objects of more than 16 members with a non-ASCII key go to the tree. `JSONObject` compares keys by their code
    /// points, as this path does, but the tree also sorts a record's leftover paths through `Set<String>`s, where
    /// canonically equivalent spellings (`caf\u{e9}`, `cafe\u{301}`) are one path: rather than reproduce that for a
    /// shape Kore.ai does not send, this path declines it.
    func requireComparableKeys(_ range: Range<Int>) throws(Unhandled) {
        guard range.count > 16 else { return }
        for i in range where members[i].keyNonASCII { throw Unhandled() }
    }

    /// No earlier key equal to `key`; two non-ASCII keys of one length are declined too, as `requireComparableKeys`
    /// says why. Length and first eight bytes first, the members read in place.
    func requireDistinct<Earlier: Sequence<Int>>(_ key: Range<Int>, nonASCII: Bool, prefix: UInt64, from earlier: Earlier,
                                                 of members: [ScannedMember]) throws(Unhandled) {
        let repeated = members.withUnsafeBufferPointer { all in
            for j in earlier where j >= 0 && j < all.count && all[j].keyLength == key.count {
                if nonASCII && all[j].keyNonASCII { return true }
                if all[j].keyPrefix == prefix
                    && (key.count <= 8 || bytes[all[j].keyStart..<all[j].keyEnd].elementsEqual(bytes[key])) { return true }
            }
            return false
        }
        if repeated { throw Unhandled() }
    }

    /// The member `key` not yet taken, without taking it: one read of the cursor's slots.
    func peek(_ cursor: ByteFieldCursor, _ key: KnownKey) -> (index: Int, value: ScannedValue)? {
        guard let offset = cursor.offset(key), cursor.taken & (1 << UInt64(offset)) == 0 else { return nil }
        return present(cursor, key)
    }

    /// The member `key`, taken or not.
    func present(_ cursor: ByteFieldCursor, _ key: KnownKey) -> (index: Int, value: ScannedValue)? {
        guard let offset = cursor.offset(key) else { return nil }
        let i = cursor.members.lowerBound + offset
        guard i >= 0, i < members.count else { return nil }
        return (i, members[i].value)
    }

    /// Takes member `key` (nil when absent; JSON null is returned as a null value).
    mutating func take(_ cursor: inout ByteFieldCursor, _ key: KnownKey) -> ScannedValue? {
        guard let found = peek(cursor, key) else { return nil }
        cursor.taken |= 1 << UInt64(found.index - cursor.members.lowerBound)
        return found.value
    }

    /// The key range of member `key` (for a leftover's path); the member must exist.
    func keyRange(_ cursor: ByteFieldCursor, _ key: KnownKey) -> Range<Int>? {
        present(cursor, key).map { members[$0.index].keyStart..<members[$0.index].keyEnd }
    }

    /// Records a known member whose value cannot be read, as `UpstreamFieldCursor.keep` does.
    mutating func keep(_ cursor: ByteFieldCursor, _ key: KnownKey, _ value: ScannedValue) {
        append(Leftover(prefix: cursor.prefix, key: keyRange(cursor, key), value: value, unreadable: true))
    }

    mutating func append(_ leftover: Leftover) {
        if leftover.prefix.inStrategy { strategyLeftovers.append(leftover) } else { recordLeftovers.append(leftover) }
    }

    /// What `UpstreamFieldCursor.absorb` adds to the parent: the child's kept members (already in the right list,
    /// since nothing else is kept while a child other than the strategy is open), then those nobody took.
    mutating func absorb(_ cursor: ByteFieldCursor) throws(Unhandled) {
        guard cursor.taken != Self.allTaken(cursor) else { return }  // the usual case: nothing left over
        if cursor.prefix.inStrategy {
            try appendRemaining(cursor, to: &strategyLeftovers)
        } else {
            try appendRemaining(cursor, to: &recordLeftovers)
        }
    }

    /// The taken set of a cursor whose every member was taken.
    static func allTaken(_ cursor: ByteFieldCursor) -> UInt64 {
        let count = cursor.members.count
        return count >= 64 ? ~0 : (1 << UInt64(count)) - 1
    }

    /// Appends the members nobody took, in document order.
    func appendRemaining(_ cursor: ByteFieldCursor, to leftovers: inout [Leftover]) throws(Unhandled) {
        var untaken = ~cursor.taken & Self.allTaken(cursor)
        while untaken != 0 {
            let member = members[cursor.members.lowerBound + untaken.trailingZeroBitCount]
            untaken &= untaken &- 1
            try requirePlainKey(member)
            leftovers.append(Leftover(prefix: cursor.prefix, key: member.keyStart..<member.keyEnd, value: member.value,
                                      unreadable: false))
        }
    }

    /// Takes member `key` and opens it as a nested cursor, as `UpstreamFieldCursor.child`: a value that is neither
    /// an object nor null is kept as unreadable.
    mutating func child(_ cursor: inout ByteFieldCursor, _ key: KnownKey,
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
