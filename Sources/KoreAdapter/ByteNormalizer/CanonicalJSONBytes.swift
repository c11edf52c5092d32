import TextCoding

/// `CampaignETag`'s canonical JSON (object members sorted by key at every depth) from compact JSON the gateway
/// wrote itself, without reading it into a tree: values are already spelled as the canonical form spells them (the
/// same writer rules), so only object members change places, and the canonical form is exactly as long as the
/// written one. So the bytes are copied once, then one pass over the written bytes checks them and, where an
/// object's members came out of order (the normalizer writes them in a fixed order that is not the sorted one),
/// puts that object's member slices in order in the copy. An object is put in order after its members, which moves
/// nothing outside its own bytes, so the written positions of everything else stay valid in the copy.
///
/// Anything it is not sure to order exactly as the tree does gives nil, and the caller tags the tree instead: a key
/// with an escape (escaped bytes do not sort as the text does), a key twice (the tree keeps one), whitespace or any
/// byte the compact writer does not write, nesting past `writtenMaxDepth`.
struct CanonicalJSONBytes {
    /// A member of an object being read: its key, and where the whole `"key":value` ends.
    private struct Member {
        var keyStart: Int
        var keyEnd: Int
        /// The key's first eight bytes as a big-endian word, zero-padded (keys hold no raw NUL, so a shorter key
        /// sorts first, as a prefix should).
        var keyPrefix: UInt64
        var end: Int
    }

    /// The body holding the value (escapes are decoded from it), and the same bytes up to the value's end.
    private let written: [UInt8]
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The copy being put in order: position `i` of `bytes` is position `i - outOffset` here.
    private let out: UnsafeMutablePointer<UInt8>
    private let outOffset: Int
    /// Where an object's member slices are parked while they are written back in order.
    private let scratch: UnsafeMutablePointer<UInt8>
    /// The members of the objects being read, as a stack: each object pops its own when it closes.
    private let members: UnsafeMutablePointer<Member>
    private let memberCapacity: Int
    private var memberCount = 0

    /// The canonical form of the value at `range` of `written`, or nil (see the type's comment).
    static func canonical(_ written: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        guard range.lowerBound >= 0, range.upperBound <= written.count, !range.isEmpty else { return nil }
        let count = range.count
        // A member takes at least five bytes (`"":0` and a separator), so this many can never run out.
        let memberCapacity = count / 4 + 2
        return written.withUnsafeBufferPointer { buffer -> [UInt8]? in
            guard let base = buffer.baseAddress else { return nil }
            return withUnsafeTemporaryAllocation(of: Member.self, capacity: memberCapacity) { members -> [UInt8]? in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch -> [UInt8]? in
                    guard let membersBase = members.baseAddress, let scratchBase = scratch.baseAddress else { return nil }
                    var complete = false
                    let result = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
                        guard let outBase = out.baseAddress else { initialized = 0; return }
                        outBase.initialize(from: base + range.lowerBound, count: count)
                        initialized = count
                        var writer = CanonicalJSONBytes(
                            written: written, bytes: UnsafeBufferPointer(rebasing: buffer[..<range.upperBound]),
                            out: outBase, outOffset: range.lowerBound, scratch: scratchBase, members: membersBase,
                            memberCapacity: memberCapacity)
                        complete = writer.value(at: range.lowerBound, depth: 0) == range.upperBound
                    }
                    return complete ? result : nil
                }
            }
        }
    }

    private init(written: [UInt8], bytes: UnsafeBufferPointer<UInt8>, out: UnsafeMutablePointer<UInt8>, outOffset: Int,
                 scratch: UnsafeMutablePointer<UInt8>, members: UnsafeMutablePointer<Member>, memberCapacity: Int) {
        self.written = written
        self.bytes = bytes
        self.out = out
        self.outOffset = outOffset
        self.scratch = scratch
        self.members = members
        self.memberCapacity = memberCapacity
    }

    /// How deep the written campaign may nest: what Kore.ai nested at the reader's limit comes out at most a level
    /// deeper under `extensions` (an envelope member), so 8 more is ample.
    static let writtenMaxDepth = UpstreamJSONScanner.maxDepth + 8

    /// Reads the value starting at `i`, inside `depth` open containers; returns the index after it.
    private mutating func value(at i: Int, depth: Int) -> Int? {
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return object(at: i, depth: depth)
        case UInt8(ascii: "["): return array(at: i, depth: depth)
        case UInt8(ascii: "\""): return stringEnd(at: i, key: false)
        case UInt8(ascii: "t"): return literal("true", at: i)
        case UInt8(ascii: "f"): return literal("false", at: i)
        case UInt8(ascii: "n"): return literal("null", at: i)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return numberEnd(at: i)
        default: return nil
        }
    }

    private mutating func array(at start: Int, depth: Int) -> Int? {
        // The reader counts the container it opens: the outermost is depth 1.
        guard depth < Self.writtenMaxDepth else { return nil }
        var i = start + 1
        guard i < bytes.count else { return nil }
        if bytes[i] != UInt8(ascii: "]") {
            while true {
                guard let end = value(at: i, depth: depth + 1), end < bytes.count else { return nil }
                i = end
                if bytes[i] == UInt8(ascii: "]") { break }
                guard bytes[i] == UInt8(ascii: ",") else { return nil }
                i += 1
            }
        }
        return i + 1
    }

    private mutating func object(at start: Int, depth: Int) -> Int? {
        guard depth < Self.writtenMaxDepth else { return nil }
        let base = memberCount
        defer { memberCount = base }
        var i = start + 1
        guard i < bytes.count else { return nil }
        var sorted = true
        if bytes[i] != UInt8(ascii: "}") {
            while true {
                guard let keyEnd = stringEnd(at: i, key: true), keyEnd < bytes.count,
                      bytes[keyEnd] == UInt8(ascii: ":"), memberCount < memberCapacity else { return nil }
                let member = Member(keyStart: i + 1, keyEnd: keyEnd - 1, keyPrefix: prefix(i + 1, keyEnd - 1), end: 0)
                if memberCount > base {
                    // In order so far: most objects need no rewriting at all (a key twice: the tree's job).
                    let previous = members[memberCount - 1]
                    if !precedes(previous, member) {
                        if !precedes(member, previous) { return nil }
                        sorted = false
                    }
                }
                guard let end = value(at: keyEnd + 1, depth: depth + 1), end < bytes.count else { return nil }
                members[memberCount] = member
                members[memberCount].end = end
                memberCount += 1
                i = end
                if bytes[i] == UInt8(ascii: "}") { break }
                guard bytes[i] == UInt8(ascii: ",") else { return nil }
                i += 1
            }
        }
        if !sorted, !reorder(base: base) { return nil }
        return i + 1
    }

    /// Writes the members `members[base..<memberCount]` of one object again in key order, over their bytes in `out`.
    private func reorder(base: Int) -> Bool {
        // Insertion sort: a campaign object has a few dozen members at most.
        var j = base + 1
        while j < memberCount {
            let member = members[j]
            var k = j
            while k > base, precedes(member, members[k - 1]) {
                members[k] = members[k - 1]
                k -= 1
            }
            members[k] = member
            j += 1
        }
        var first = members[base].keyStart - 1, last = members[base].end
        for m in (base + 1)..<memberCount {
            if !precedes(members[m - 1], members[m]) { return false }
            first = min(first, members[m].keyStart - 1)
            last = max(last, members[m].end)
        }
        // The members and the commas between them: `first..<last` of the written bytes, parked in `scratch`.
        let region = out + (first - outOffset)
        scratch.update(from: region, count: last - first)
        var cursor = region
        for m in base..<memberCount {
            if m > base {
                cursor.pointee = UInt8(ascii: ",")
                cursor += 1
            }
            let start = members[m].keyStart - 1
            let length = members[m].end - start
            cursor.update(from: scratch + (start - first), count: length)
            cursor += length
        }
        return true
    }

    /// The index after the string literal at `start`, checked as the reader checks it (no raw control byte,
    /// escapes it accepts, valid UTF-8); a key holds no escape at all.
    private func stringEnd(at start: Int, key: Bool) -> Int? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var i = start + 1
        var high: UInt8 = 0
        while true {
            i = ByteScan.jsonStringRunEnd(bytes, from: i, high: &high)
            guard i < bytes.count else { return nil }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            guard b == UInt8(ascii: "\\"), !key, let escape = JSONEscape.decode(written, at: i) else { return nil }
            i = escape.end
        }
        if high >= 0x80, !UTF8Check.isValid(written, (start + 1)..<i) { return nil }
        return i + 1
    }

    private func literal(_ word: StaticString, at start: Int) -> Int? {
        let count = word.utf8CodeUnitCount
        guard count <= bytes.count - start else { return nil }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[start + $0] == expected[$0] }
        }
        return matches ? start + count : nil
    }

    /// `JSONReader.readNumber`'s grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private func numberEnd(at start: Int) -> Int? {
        var i = start
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, Self.isDigit(bytes[i]) { return nil }
        } else {
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        return i
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func prefix(_ start: Int, _ end: Int) -> UInt64 {
        let length = end - start
        // One load where eight bytes are there (a key is followed by at least its quote and colon): the loop below
        // cost about 40 instructions a key.
        if length > 0, start >= 0, start <= bytes.count - 8, let base = bytes.baseAddress {
            let word = UInt64(bigEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
            return length >= 8 ? word : word & ~(UInt64.max >> (8 * length))
        }
        var word: UInt64 = 0
        for i in 0..<8 {
            word <<= 8
            if start + i < end { word |= UInt64(bytes[start + i]) }
        }
        return word
    }

    /// UTF-8 byte order of two keys (`CampaignETag.utf8Precedes`): the prefix words first, then the rest.
    private func precedes(_ a: Member, _ b: Member) -> Bool {
        if a.keyPrefix != b.keyPrefix { return a.keyPrefix < b.keyPrefix }
        return bytes[a.keyStart..<a.keyEnd].lexicographicallyPrecedes(bytes[b.keyStart..<b.keyEnd])
    }
}
