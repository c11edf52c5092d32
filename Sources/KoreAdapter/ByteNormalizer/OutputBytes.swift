import TextCoding

/// The answer the byte-to-byte normalizer writes: an array sized once up front (zero-filled) and written in place,
/// its used length kept apart, so that each of the hundred-odd small writes of an answer is a bounds check and a
/// copy rather than a generic `Array.append(contentsOf:)`. It grows (doubling) only when an answer is longer than
/// the estimate; `bytes` hands over the array cut to the written length, without a copy.
struct OutputBytes {
    private var storage: [UInt8]
    private(set) var count = 0

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: max(capacity, 64))
    }

    /// The bytes written, as the answer's body.
    var bytes: [UInt8] {
        mutating get {
            storage.removeSubrange(count...)
            let written = storage
            storage = []
            count = 0
            return written
        }
    }

    /// Makes room for `n` more bytes.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if n > storage.count - count { grow(n) }
    }

    private mutating func grow(_ n: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(n, storage.count)))
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        let at = count
        storage.withUnsafeMutableBufferPointer { $0[at] = byte }  // at < count + 1 <= storage.count (reserve)
        count = at + 1
    }

    mutating func append(contentsOf source: UnsafeBufferPointer<UInt8>) {
        let n = source.count
        guard n > 0, let from = source.baseAddress else { return }
        reserve(n)
        let at = count
        storage.withUnsafeMutableBufferPointer { target in
            // at + n <= target.count (reserve)
            if let base = target.baseAddress { (base + at).update(from: from, count: n) }
        }
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
        reserve(5)
        let at = count
        storage.withUnsafeMutableBufferPointer { target in
            // at + 5 <= target.count (reserve)
            target[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: hour / 10)
            target[at + 1] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: hour % 10)
            target[at + 2] = UInt8(ascii: ":")
            target[at + 3] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: minute / 10)
            target[at + 4] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: minute % 10)
        }
        count = at + 5
    }
}
