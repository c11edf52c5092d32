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
    var value: ScannedValue

    var keyLength: Int { keyEnd - keyStart }
}
