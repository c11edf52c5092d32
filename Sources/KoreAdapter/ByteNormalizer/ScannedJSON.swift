/// One JSON value found in place in Kore.ai's answer: its kind and where its bytes are. Nothing is copied or
/// decoded until the normalizer writes it.
struct ScannedValue {
    enum Kind: UInt8 { case object, array, string, number, `true`, `false`, null }

    var kind: Kind
    /// The value's bytes, quotes and brackets included.
    var start: Int
    var end: Int
    /// For strings: whether the literal holds a backslash escape (then it must be decoded before it is used as text).
    var escaped = false
    /// For strings: whether the literal holds a byte above 0x7F (then two spellings of one text may compare unequal
    /// as bytes and equal as Swift strings, which compare by canonical equivalence).
    var nonASCII = false
    /// For strings: whether the writer would write the literal exactly as it stands (no escape, no DEL): then it is
    /// copied, quotes and all.
    var writtenAsRead = false
    /// Where the value sits in the scanner's tape, and the tape index after everything inside it (a container's
    /// members follow it on the tape, each with its own subtree).
    var tapeIndex = 0
    var tapeNext = 0

    var isNull: Bool { kind == .null }
    /// The bytes between a string's quotes (empty for other kinds, so a mistaken use cannot trap).
    var content: Range<Int> { kind == .string ? (start + 1)..<(end - 1) : start..<start }
}

/// One member of an object the normalizer walks: the key's bytes (between its quotes, never escaped: an escaped key
/// sends the answer to the tree normalizer) and the value.
struct ScannedMember {
    var keyStart: Int
    var keyEnd: Int
    var keyNonASCII: Bool
    /// The key's first eight bytes as a word (zeros after a shorter key): most lookups are decided by it and the
    /// length alone.
    var keyPrefix: UInt64
    var value: ScannedValue

    var keyLength: Int { keyEnd - keyStart }

    /// The word `keyPrefix` holds for a key (up to eight of its bytes).
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<min(8, bytes.count) { word |= UInt64(bytes[i]) << UInt64(8 * i) }
        return word
    }

    static func prefix(_ bytes: [UInt8], _ key: Range<Int>) -> UInt64 {
        bytes.withUnsafeBufferPointer { prefix($0, key) }
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
