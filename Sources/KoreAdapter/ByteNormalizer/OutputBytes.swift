import TextCoding

/// The answer the byte-to-byte normalizer writes, straight into the uninitialized storage of the array that becomes
/// the answer's body (`ByteNormalizerState.writing` lends it): each of the hundred-odd small writes of an answer is
/// a bounds check and a copy, with no uniqueness check, zero-filling or growth of an array.
///
/// A write that does not fit is not made, but still counted: `count` is then the length the answer needs, and the
/// answer is written again into storage of that length (an answer longer than the estimate is rare).
struct OutputBytes {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    /// The bytes written so far, or needed so far once a write did not fit (then `fits` is false).
    private(set) var count = 0

    /// No storage: every write is only counted.
    init() {
        base = nil
        capacity = 0
    }

    /// Writes into `storage`, which must stay valid while this value is written to.
    init(_ storage: UnsafeMutableBufferPointer<UInt8>) {
        base = storage.baseAddress
        capacity = storage.baseAddress == nil ? 0 : storage.count
    }

    /// Whether every write so far was made (then the first `count` bytes of the storage are the answer).
    var fits: Bool { count <= capacity }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        let at = count
        if at < capacity, let base { base[at] = byte }  // at < capacity: inside the storage
        count = at + 1
    }

    mutating func append(contentsOf source: UnsafeBufferPointer<UInt8>) {
        let n = source.count
        let at = count
        // n <= capacity - at: the copy ends inside the storage (and at <= capacity, so nothing was skipped before).
        if n <= capacity - at, let base, let from = source.baseAddress { (base + at).update(from: from, count: n) }
        count = at + n
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func append(contentsOf source: ArraySlice<UInt8>) {
        source.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    mutating func append(contentsOf source: [UInt8]) {
        source.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// A decimal integer as `String(value)` spells it.
    mutating func append(decimal value: Int) {
        var text = String(value)  // up to 15 digits a small string: no allocation
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// The escaped content of a string (no quotes) by the one escaper: text that needs no escaping (nearly all) is
    /// copied as it is, which is exactly what the escaper writes for it.
    mutating func appendEscapedContent(utf8 text: UnsafeBufferPointer<UInt8>) {
        if ByteScan.jsonEscapeIndex(text, from: 0) == text.count {
            append(contentsOf: text)
        } else {
            var escaped: [UInt8] = []
            JSONStringEscaping.appendContent(utf8: text, to: &escaped)
            append(contentsOf: escaped)
        }
    }

    /// A string literal, quotes included, by the one escaper.
    mutating func appendLiteral(utf8 text: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        appendEscapedContent(utf8: text)
        append(UInt8(ascii: "\""))
    }

    mutating func appendLiteral(_ text: String) {
        var escaped: [UInt8] = []
        JSONStringEscaping.append(text, to: &escaped)
        append(contentsOf: escaped)
    }

    /// `"09:00"` without its quotes.
    mutating func append(twentyFourHour time: TimeOfDay) {
        let hour = time.minutes / 60, minute = time.minutes % 60
        let at = count
        if 5 <= capacity - at, let base {  // at + 5 <= capacity
            base[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: hour / 10)
            base[at + 1] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: hour % 10)
            base[at + 2] = UInt8(ascii: ":")
            base[at + 3] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: minute / 10)
            base[at + 4] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: minute % 10)
        }
        count = at + 5
    }
}
