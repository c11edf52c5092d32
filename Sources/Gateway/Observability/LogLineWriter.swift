import TextCoding

/// Writes one log line's members into a buffer sized for it (a struct on the stack, so the position is not boxed
/// as a closure's captured variable would be). Each member's key comes with its punctuation as one literal
/// (`,"route":`): one copy, where writing the comma, quotes and colon around the name byte by byte cost about 640
/// instructions a line.
struct LogLineWriter {
    let out: UnsafeMutableBufferPointer<UInt8>
    var index = 0

    init(out: UnsafeMutableBufferPointer<UInt8>) {
        self.out = out
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        out[index] = value
        index += 1
    }

    /// Constant text (a key with its punctuation, a constant value), copied as it is. Bounds-checked like `byte`.
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        precondition(index >= 0 && out.count - index >= count, "LogLineWriter: no room for constant text")
        if let target = out.baseAddress {
            Self.copy(UnsafeRawPointer(text.utf8Start), count: count, to: UnsafeMutableRawPointer(target + index))
        }
        index += count
    }

    /// `count` bytes from `source` to `target` (which do not overlap): the line's pieces are short (keys of 9 to 37
    /// bytes, ids of 16 to 32), so up to 32 bytes are moved as two to four 8-byte words that may overlap each other,
    /// every load and store inside the `count` bytes, instead of a call to `memcpy` per piece (about 20 a line).
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, count: Int, to target: UnsafeMutableRawPointer) {
        if count >= 8 && count <= 32 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            if count > 16 {
                let second = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                let third = source.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
                target.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
                target.storeBytes(of: third, toByteOffset: count &- 16, as: UInt64.self)
            }
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count > 0 && count < 8 {
            for i in 0..<count { target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        } else if count > 32 {
            target.copyMemory(from: source, byteCount: count)
        }
    }

    /// A string value, read on its contiguous bytes (no copy of the string to reach them), escaped.
    mutating func string(_ key: StaticString, _ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ string(key, utf8: $0) }) != nil { return }
        var copy = value
        copy.withUTF8 { string(key, utf8: $0) }
    }

    /// A string given as UTF-8 bytes, escaped. Up to 32 bytes (a tenant, an operation, a type, an id) are checked
    /// as words for a byte the escaper would change and, when there is none, copied between quotes as words: the
    /// escaper's scan and run copy cost about 250 instructions a short string. Anything with such a byte, and
    /// anything longer, goes through the escaper.
    mutating func string(_ key: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        if value.count <= 32, let source = value.baseAddress, Self.needsNoEscaping(UnsafeRawPointer(source), count: value.count) {
            plainString(key, utf8: value)
            return
        }
        raw(key)
        JSONStringEscaping.write(utf8: value, into: out, at: &index)
    }

    /// Whether none of `count` bytes (at most 32) is one `JSONStringEscaping` escapes: a quote, a backslash, a
    /// control byte or DEL. Words as `copy` reads them (overlapping, all inside the bytes); `ByteScan`'s masks are
    /// nonzero exactly when some byte of the word matches.
    @inline(__always)
    static func needsNoEscaping(_ source: UnsafeRawPointer, count: Int) -> Bool {
        @inline(__always) func stops(_ w: UInt64) -> UInt64 {
            ByteScan.hasByte(w, UInt8(ascii: "\"")) | ByteScan.hasByte(w, UInt8(ascii: "\\"))
                | ByteScan.hasByteBelow(w, 0x20) | ByteScan.hasByte(w, 0x7F)
        }
        if count >= 8 && count <= 32 {
            var found = stops(source.loadUnaligned(as: UInt64.self))
                | stops(source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
            if count > 16 {
                found |= stops(source.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    | stops(source.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self))
            }
            return found == 0
        }
        guard count < 8 else { return false }
        for i in 0..<count {
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0x7F { return false }
        }
        return true
    }

    /// A string value the gateway made and knows needs no escaping (hex ids, a sane request id, a route label): its
    /// bytes copied between quotes without the escaper's scan. Only for text that holds no quote, backslash, control
    /// byte or DEL; anything a caller sent that was not checked to be so goes through `string`.
    mutating func plainString(_ key: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        raw(key)
        precondition(index >= 0 && out.count - index >= value.count + 2, "LogLineWriter: no room for the string")
        out[index] = UInt8(ascii: "\"")
        if let source = value.baseAddress, let target = out.baseAddress {
            Self.copy(UnsafeRawPointer(source), count: value.count, to: UnsafeMutableRawPointer(target + index + 1))
        }
        index += value.count + 1
        out[index] = UInt8(ascii: "\"")
        index += 1
    }

    /// `plainString` on a String's bytes.
    mutating func plainString(_ key: StaticString, _ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ plainString(key, utf8: $0) }) != nil { return }
        var copy = value
        copy.withUTF8 { plainString(key, utf8: $0) }
    }

    /// A constant value that needs no escaping (its quotes, if any, are in `value`).
    mutating func literal(_ key: StaticString, _ value: StaticString) {
        raw(key)
        raw(value)
    }

    mutating func integer(_ key: StaticString, _ value: Int) {
        raw(key)
        LogTime.writeInteger(value, into: out, at: &index)
    }

    mutating func milliseconds(_ key: StaticString, _ seconds: Double) {
        raw(key)
        LogTime.writeMilliseconds(seconds, into: out, at: &index)
    }
}

enum LogTime {
    static func milliseconds(_ seconds: Double) -> String {
        var out: [UInt8] = []
        appendMilliseconds(seconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `12.345`: milliseconds with three decimals (microseconds), the text `milliseconds` returns.
    static func appendMilliseconds(_ seconds: Double, to out: inout [UInt8]) {
        let scaled = (seconds * 1_000_000).rounded()
        // A duration is never near Int's range; should a clock misbehave, the line stays valid JSON.
        let micros = scaled.isFinite && abs(scaled) < 9e15 ? Int(scaled) : 0
        let whole = micros / 1000, frac = micros % 1000
        appendInteger(whole, to: &out)
        out.append(UInt8(ascii: "."))
        if frac < 0 {
            // As String(frac) spelled it before: "-5" padded to three characters.
            let text = String(frac)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, 3 - text.utf8.count)))
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(UInt8(ascii: "0") + UInt8(frac / 100))
        out.append(UInt8(ascii: "0") + UInt8(frac / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(frac % 10))
    }

    /// `appendMilliseconds` written into `out` at `index` (at most 26 bytes).
    static func writeMilliseconds(_ seconds: Double, into out: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        let scaled = (seconds * 1_000_000).rounded()
        let micros = scaled.isFinite && abs(scaled) < 9e15 ? Int(scaled) : 0
        guard micros >= 0 else {
            // A clock that ran backwards: the rare path, through the array writer.
            var text: [UInt8] = []
            appendMilliseconds(seconds, to: &text)
            for byte in text { out[index] = byte; index += 1 }
            return
        }
        writeInteger(micros / 1000, into: out, at: &index)
        let frac = micros % 1000
        out[index] = UInt8(ascii: ".")
        out[index + 1] = UInt8(ascii: "0") + UInt8(frac / 100)
        out[index + 2] = UInt8(ascii: "0") + UInt8(frac / 10 % 10)
        out[index + 3] = UInt8(ascii: "0") + UInt8(frac % 10)
        index += 4
    }

    /// `appendInteger` written into `out` at `index` (at most 20 bytes): the digits counted, then written from the
    /// last one back by division by the constant 10 (a multiply), where dividing by a running power of ten cost
    /// about 150 instructions for a three-digit status.
    static func writeInteger(_ value: Int, into out: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        if value < 0 {
            out[index] = UInt8(ascii: "-")
            index += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var o = index + digits
        repeat {
            o -= 1
            out[o] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        index += digits
    }

    /// The decimal text of `value` (as `String(value)` spells it) appended without a String in between.
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
