import TextCoding

/// What the byte-to-byte normalizer answers: its body is the output `ByteNormalizerState.writing` lent.
protocol WrittenAnswer {
    var body: [UInt8] { get set }
}

extension NormalizedResponse: WrittenAnswer {}
extension ListNormalizer.Output: WrittenAnswer {}

/// The byte-to-byte normalizer's working state for one answer: the input read in place, the members of the objects
/// it walks, the answer being written and what is left over for `extensions`.
///
/// Its functions mirror `UpstreamCampaignMapper` and `UpstreamFieldCursor` step by step, in the same order, because
/// the order is part of the output (`extensions` lists members in the order the tree normalizer met them). Anything
/// they do not handle exactly throws `Unhandled`, and the answer goes to the tree normalizer instead.
struct ByteNormalizerState {
    /// The answer needs the tree normalizer: it is not JSON, not a campaign envelope, or holds something this path
    /// does not reproduce exactly (duplicate or escaped keys, non-ASCII enum spellings, dotted keys).
    struct Unhandled: Error {}

    var scan: UpstreamJSONScanner
    /// Kore.ai's answer (the scanner's bytes, held once here so reading them costs no reference counting).
    let bytes: [UInt8]
    let type: CampaignType
    let version: UpstreamVersion
    /// The members of every object walked so far; a cursor is a range of it.
    var members: [ScannedMember] = []
    var out: OutputBytes
    /// Leftovers of the record and the cursors absorbed into it, and of `dialingStrategy` and its children, which
    /// stays open while record members are kept (the tree absorbs it after the voice section).
    var recordLeftovers: [Leftover] = []
    var strategyLeftovers: [Leftover] = []

    init(_ body: [UInt8], type: CampaignType, version: UpstreamVersion) {
        scan = UpstreamJSONScanner(bytes: body)
        bytes = body
        self.type = type
        self.version = version
        members.reserveCapacity(64)
        out = OutputBytes()
    }

    /// Runs `write` on a fresh state whose output is the storage of the array returned: first sized by an estimate
    /// (the answer is about as long as Kore.ai's: pretty-printed answers shrink, added null members grow it), and
    /// when the answer needed more, written again into storage of the length it needed. Nil when `write` throws.
    static func writing<Result: WrittenAnswer>(_ body: [UInt8], type: CampaignType, version: UpstreamVersion,
                                               _ write: (inout ByteNormalizerState) throws(Unhandled) -> Result) -> Result? {
        var capacity = body.count + 512
        for _ in 0..<2 {
            var state = ByteNormalizerState(body, type: type, version: version)
            var result: Result?
            var needed = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { storage, initialized in
                state.out = OutputBytes(storage)
                result = try? write(&state)
                needed = state.out.count
                initialized = state.out.fits ? needed : 0
                state.out = OutputBytes()  // the storage is lent for this closure only
            }
            guard var result else { return nil }
            if needed <= capacity {
                result.body = bytes
                return result
            }
            capacity = needed
        }
        return nil  // not reached: the same answer needs the same length the second time
    }

    // MARK: writing

    mutating func write(_ text: StaticString) {
        out.append(text)
    }

    /// A string value as the tree writes it: decoded, then escaped by the one escaper.
    mutating func writeString(_ value: ScannedValue) {
        // A literal the writer would write as it stands (no escape, no DEL) is copied, quotes and all.
        if value.kind == .string, value.writtenAsRead {
            let range = value.start..<value.end
            let copied = bytes.withUnsafeBufferPointer { all in
                guard range.lowerBound >= 0, range.upperBound <= all.count else { return false }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: all[range]))
                return true
            }
            if copied { return }
        }
        out.append(UInt8(ascii: "\""))
        writeStringContent(value)
        out.append(UInt8(ascii: "\""))
    }

    /// The escaped text of a string value without its quotes.
    mutating func writeStringContent(_ value: ScannedValue) {
        if value.escaped {
            let decoded = decodedContent(value)
            decoded.withUnsafeBufferPointer { out.appendEscapedContent(utf8: $0) }
        } else {
            let range = value.content
            bytes.withUnsafeBufferPointer { all in
                out.appendEscapedContent(utf8: UnsafeBufferPointer(rebasing: all[range]))
            }
        }
    }

    /// The UTF-8 of a string value's text, its escapes decoded.
    func decodedContent(_ value: ScannedValue) -> [UInt8] {
        let range = value.content
        guard value.escaped else { return Array(bytes[range]) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i] == UInt8(ascii: "\\"), let escape = JSONEscape.decode(bytes, at: i) {
                UTF8.encode(escape.scalar) { decoded.append($0) }
                i = escape.end
            } else {
                decoded.append(bytes[i])
                i += 1
            }
        }
        return decoded
    }

    /// A string value's text.
    func text(_ value: ScannedValue) -> String {
        if value.escaped { return String(decoding: decodedContent(value), as: UTF8.self) }
        return String(decoding: bytes[value.content], as: UTF8.self)
    }

    /// Whether two string values hold the same text as Swift compares strings (canonical equivalence). Decided on
    /// bytes when that is exact: equal literals are equal texts, and two ASCII literals without escapes differ
    /// exactly when their bytes do. Anything else goes to the tree.
    func sameText(_ a: ScannedValue, _ b: ScannedValue) throws(Unhandled) -> Bool {
        let x = a.content, y = b.content
        if x.count == y.count && bytes[x].elementsEqual(bytes[y]) { return true }
        if a.escaped || b.escaped || a.nonASCII || b.nonASCII { throw Unhandled() }
        return false
    }

    /// Whether a string value's bytes are exactly `word` (an ASCII word without escapes).
    func isWord(_ value: ScannedValue, _ word: StaticString) -> Bool {
        value.kind == .string && !value.escaped && Self.equal(bytes, value.content, word)
    }

    static func equal(_ bytes: [UInt8], _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            var j = 0
            for i in range {
                if bytes[i] != expected[j] { return false }
                j += 1
            }
            return true
        }
    }
}
