/// `CampaignETag`'s canonical JSON (object members sorted by key at every depth) from compact JSON the gateway
/// wrote itself, without reading it into a tree: values are already spelled as the canonical form spells them (the
/// same writer rules), so only object members change places.
struct CanonicalJSONBytes {
    private let bytes: [UInt8]
    private var out: [UInt8] = []
    /// Members of the objects being sorted (a stack: each object truncates back to where it started).
    private var members: [(key: Range<Int>, value: Range<Int>)] = []

    /// The canonical form of the value at `range` of `written`; nil when a key holds an escape (escaped bytes do
    /// not sort as the text does: the caller then tags the tree).
    static func canonical(_ written: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        var writer = CanonicalJSONBytes(bytes: written)
        writer.out.reserveCapacity(range.count)
        writer.members.reserveCapacity(32)
        guard writer.value(at: range.lowerBound) == range.upperBound else { return nil }
        return writer.out
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Writes the value starting at `i` in canonical form; returns where it ends (nil for an escaped key).
    private mutating func value(at i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "{"): return object(at: i)
        case UInt8(ascii: "["):
            out.append(UInt8(ascii: "["))
            var j = i + 1
            guard j < bytes.count else { return nil }
            if bytes[j] != UInt8(ascii: "]") {
                while true {
                    guard let end = value(at: j), end < bytes.count else { return nil }
                    j = end
                    if bytes[j] == UInt8(ascii: "]") { break }
                    out.append(UInt8(ascii: ","))
                    j += 1
                }
            }
            out.append(UInt8(ascii: "]"))
            return j + 1
        default:
            guard let end = scalarEnd(at: i) else { return nil }
            out.append(contentsOf: bytes[i..<end])
            return end
        }
    }

    private mutating func object(at start: Int) -> Int? {
        let base = members.count
        defer { members.removeSubrange(base...) }
        var j = start + 1
        guard j < bytes.count else { return nil }
        if bytes[j] != UInt8(ascii: "}") {
            while true {
                guard let keyEnd = scalarEnd(at: j), keyEnd < bytes.count, bytes[keyEnd] == UInt8(ascii: ":") else { return nil }
                let key = (j + 1)..<(keyEnd - 1)
                if bytes[key].contains(UInt8(ascii: "\\")) { return nil }
                guard let valueEnd = skip(at: keyEnd + 1), valueEnd < bytes.count else { return nil }
                members.append((key, (keyEnd + 1)..<valueEnd))
                j = valueEnd
                if bytes[j] == UInt8(ascii: "}") { break }
                j += 1
            }
        }
        let bytes = self.bytes
        members[base...].sort { bytes[$0.key].lexicographicallyPrecedes(bytes[$1.key]) }
        out.append(UInt8(ascii: "{"))
        for index in base..<members.count {
            if index > base { out.append(UInt8(ascii: ",")) }
            let member = members[index]
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes[member.key])
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            guard value(at: member.value.lowerBound) == member.value.upperBound else { return nil }
        }
        out.append(UInt8(ascii: "}"))
        return j + 1
    }

    /// Where the value at `i` ends, without writing it.
    private func skip(at i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        let open = bytes[i]
        guard open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else { return scalarEnd(at: i) }
        var depth = 0
        var j = i
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\""):
                guard let end = scalarEnd(at: j) else { return nil }
                j = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return j + 1 }
            default: break
            }
            j += 1
        }
        return nil
    }

    /// Where a string, number or literal starting at `i` ends (compact JSON: a scalar other than a string runs to
    /// the next `,`, `}` or `]`).
    private func scalarEnd(at i: Int) -> Int? {
        var j = i
        if bytes[j] == UInt8(ascii: "\"") {
            j += 1
            while j < bytes.count {
                switch bytes[j] {
                case UInt8(ascii: "\\"): j += 2
                case UInt8(ascii: "\""): return j + 1
                default: j += 1
                }
            }
            return nil
        }
        while j < bytes.count, bytes[j] != UInt8(ascii: ","), bytes[j] != UInt8(ascii: "}"), bytes[j] != UInt8(ascii: "]") {
            j += 1
        }
        return j
    }
}
