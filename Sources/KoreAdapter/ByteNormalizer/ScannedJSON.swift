/// One JSON value found in place in Kore.ai's answer: its kind and where its bytes are. Nothing is copied or
/// decoded until the normalizer writes it.
///
/// Offsets are held as 32 bits (the scanner refuses a document of 2 GiB or more) and the three string flags share a
/// byte: 20 bytes instead of 48, copied through the scan's recursion and into every member and element list.
struct ScannedValue {
    enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }

    private var start32: Int32
    private var end32: Int32
    private var tapeIndex32: Int32
    private var tapeNext32: Int32
    var kind: Kind
    private var flags: UInt8

    private static let escapedFlag: UInt8 = 1
    private static let nonASCIIFlag: UInt8 = 2
    private static let writtenAsReadFlag: UInt8 = 4

    /// Offsets must lie below `UpstreamJSONScanner.maxDocumentBytes` (the scanner checks the document's length
    /// before it records anything).
    init(kind: Kind, start: Int, end: Int, escaped: Bool = false, nonASCII: Bool = false, writtenAsRead: Bool = false,
         tapeIndex: Int = 0, tapeNext: Int = 0) {
        self.kind = kind
        start32 = Int32(truncatingIfNeeded: start)
        end32 = Int32(truncatingIfNeeded: end)
        tapeIndex32 = Int32(truncatingIfNeeded: tapeIndex)
        tapeNext32 = Int32(truncatingIfNeeded: tapeNext)
        flags = (escaped ? Self.escapedFlag : 0) | (nonASCII ? Self.nonASCIIFlag : 0)
            | (writtenAsRead ? Self.writtenAsReadFlag : 0)
    }

    /// The value's bytes, quotes and brackets included.
    var start: Int { Int(start32) }
    var end: Int {
        get { Int(end32) }
        set { end32 = Int32(truncatingIfNeeded: newValue) }
    }
    /// For strings: whether the literal holds a backslash escape (then it must be decoded before it is used as text).
    var escaped: Bool { flags & Self.escapedFlag != 0 }
    /// For strings: whether the literal holds a byte above 0x7F (then two spellings of one text may compare unequal
    /// as bytes and equal as Swift strings, which compare by canonical equivalence).
    var nonASCII: Bool { flags & Self.nonASCIIFlag != 0 }
    /// For strings: whether the writer would write the literal exactly as it stands (no escape, no DEL): then it is
    /// copied, quotes and all.
    var writtenAsRead: Bool { flags & Self.writtenAsReadFlag != 0 }
    /// Where the value sits in the scanner's tape, and the tape index after everything inside it (a container's
    /// members follow it on the tape, each with its own subtree).
    var tapeIndex: Int {
        get { Int(tapeIndex32) }
        set { tapeIndex32 = Int32(truncatingIfNeeded: newValue) }
    }
    var tapeNext: Int {
        get { Int(tapeNext32) }
        set { tapeNext32 = Int32(truncatingIfNeeded: newValue) }
    }

    var isNull: Bool { kind == .null }
    /// The bytes between a string's quotes (empty for other kinds, so a mistaken use cannot trap).
    var content: Range<Int> { kind == .string ? (start + 1)..<(end - 1) : start..<start }
}

/// One member of an object the normalizer walks: the key's bytes (between its quotes, never escaped: an escaped key
/// sends the answer to the tree normalizer) and the value.
///
/// 40 bytes (offsets as 32 bits, as in `ScannedValue`) instead of 80.
struct ScannedMember {
    /// The key's first eight bytes as a word (zeros after a shorter key): most lookups are decided by it and the
    /// length alone.
    let keyPrefix: UInt64
    private let keyStart32: Int32
    private let keyEnd32: Int32
    var value: ScannedValue
    let keyNonASCII: Bool

    init(keyStart: Int, keyEnd: Int, keyNonASCII: Bool, keyPrefix: UInt64, value: ScannedValue) {
        self.keyPrefix = keyPrefix
        keyStart32 = Int32(truncatingIfNeeded: keyStart)
        keyEnd32 = Int32(truncatingIfNeeded: keyEnd)
        self.value = value
        self.keyNonASCII = keyNonASCII
    }

    var keyStart: Int { Int(keyStart32) }
    var keyEnd: Int { Int(keyEnd32) }
    var keyLength: Int { Int(keyEnd32 &- keyStart32) }

    /// The word `keyPrefix` holds for a key (up to eight of its bytes): whole loads (two overlapping ones for four to
    /// seven bytes) rather than a loop over the bytes, since every lookup computes the word of the key it asks for.
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        if count >= 8 { return UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) }
        if count >= 4 {
            let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
            return low | high << UInt64(8 * (count - 4))
        }
        var word: UInt64 = 0
        for i in 0..<count { word |= UInt64(bytes[i]) << UInt64(8 * i) }
        return word
    }

    /// The same for the key at `key` of `all`: one unaligned load when eight bytes from the key's start lie inside
    /// the buffer (the bytes past a shorter key masked off), else byte by byte.
    @inline(__always)
    static func prefix(_ all: UnsafeBufferPointer<UInt8>, _ key: Range<Int>) -> UInt64 {
        guard let base = all.baseAddress, key.lowerBound >= 0, key.upperBound <= all.count else { return 0 }
        let length = key.count
        guard key.lowerBound + 8 <= all.count else { return prefix(UnsafeBufferPointer(rebasing: all[key])) }
        let word = UInt64(littleEndian: UnsafeRawPointer(base + key.lowerBound).loadUnaligned(as: UInt64.self))
        return length >= 8 ? word : word & ((1 << UInt64(8 * length)) - 1)
    }
}
