/// `CampaignETag`'s canonical JSON (object members sorted by key at every depth) from compact JSON the gateway
/// wrote itself, without reading it into a tree: values are already spelled as the canonical form spells them (the
/// same writer rules), so only object members change places. The JSON is scanned once onto a tape
/// (`UpstreamJSONScanner`), then written again from it with each object's members sorted.
struct CanonicalJSONBytes {
    private let scanner: UpstreamJSONScanner
    private var out: [UInt8] = []
    /// Tape indices of the members of the objects being written (a stack: each object truncates back to its start).
    private var order: [Int] = []

    /// The canonical form of the value at `range` of `written`; nil when a key holds an escape (escaped bytes do
    /// not sort as the text does, and the scanner declines them: the caller then tags the tree).
    static func canonical(_ written: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        var scanner = UpstreamJSONScanner(bytes: written, maxDepth: writtenMaxDepth)
        guard let value = scanner.value(startingAt: range.lowerBound), value.end == range.upperBound else { return nil }
        var writer = CanonicalJSONBytes(scanner: scanner)
        writer.out.reserveCapacity(range.count)
        writer.order.reserveCapacity(32)
        writer.write(value)
        return writer.out
    }

    private init(scanner: UpstreamJSONScanner) { self.scanner = scanner }

    /// How deep the written campaign may nest: what Kore.ai nested at the reader's limit comes out at most a level
    /// deeper under `extensions` (an envelope member), so 8 more is ample.
    static let writtenMaxDepth = UpstreamJSONScanner.maxDepth + 8

    private mutating func write(_ value: ScannedValue) {
        let tape = scanner.tape
        switch value.kind {
        case .object:
            let base = order.count
            defer { order.removeSubrange(base...) }
            var i = value.tapeIndex + 1
            while i < value.tapeNext {
                order.append(i)
                i = tape[i].value.tapeNext
            }
            let bytes = scanner.bytes
            order[base...].sort { Self.precedes(tape[$0], tape[$1], in: bytes) }
            out.append(UInt8(ascii: "{"))
            for position in base..<order.count {
                if position > base { out.append(UInt8(ascii: ",")) }
                let member = tape[order[position]]
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: bytes[member.keyStart..<member.keyEnd])
                out.append(UInt8(ascii: "\""))
                out.append(UInt8(ascii: ":"))
                write(member.value)
            }
            out.append(UInt8(ascii: "}"))
        case .array:
            out.append(UInt8(ascii: "["))
            var i = value.tapeIndex + 1
            while i < value.tapeNext {
                if i > value.tapeIndex + 1 { out.append(UInt8(ascii: ",")) }
                write(tape[i].value)
                i = tape[i].value.tapeNext
            }
            out.append(UInt8(ascii: "]"))
        default:
            out.append(contentsOf: scanner.bytes[value.start..<value.end])
        }
    }

    /// UTF-8 byte order of two keys (`CampaignETag.utf8Precedes`): the first eight bytes as one big-endian word
    /// first (a shorter key's zero padding sorts it first, as a prefix should: keys hold no NUL, which would be
    /// escaped), then the rest.
    private static func precedes(_ a: ScannedMember, _ b: ScannedMember, in bytes: [UInt8]) -> Bool {
        let x = a.keyPrefix.byteSwapped, y = b.keyPrefix.byteSwapped
        if x != y { return x < y }
        return bytes[a.keyStart..<a.keyEnd].lexicographicallyPrecedes(bytes[b.keyStart..<b.keyEnd])
    }
}
