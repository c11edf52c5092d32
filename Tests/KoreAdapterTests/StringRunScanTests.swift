@testable import KoreAdapter
import TestSupport
import Testing

/// The scanner's sixteen-byte string scan against a byte-by-byte reference: every byte value at every offset of
/// buffers around one and two sixteen-byte steps (and the word scan it hands the last bytes to), from starts on and
/// around the step boundaries; a stop followed by non-ASCII or a DEL in the same step (which must not be counted);
/// and random buffers.
@Suite struct StringRunScanTests {
    /// Where the plain run from `start` ends, and whether it held a byte above 0x7F and a DEL.
    static func reference(_ bytes: [UInt8], from start: Int) -> (end: Int, nonASCII: Bool, del: Bool) {
        var i = start
        var nonASCII = false, del = false
        while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 {
            if bytes[i] >= 0x80 { nonASCII = true }
            if bytes[i] == 0x7F { del = true }
            i += 1
        }
        return (i, nonASCII, del)
    }

    static func expectAgrees(_ bytes: [UInt8], from start: Int, _ what: String) {
        bytes.withUnsafeBufferPointer { buffer in
            var high: UInt8 = 0
            var del = false
            let end = StringRunScan.runEnd(buffer, from: start, high: &high, del: &del)
            let expected = reference(bytes, from: start)
            // Checked before recording: `#expect` at every one of the cases costs more than the scan itself.
            if end != expected.end || (high >= 0x80) != expected.nonASCII || del != expected.del {
                Issue.record("\(what): \(bytes) from \(start): end \(end), high \(high), del \(del); expected \(expected)")
            }
        }
    }

    static let starts = [0, 1, 8, 15, 16, 17]

    @Test func everyByteAtEveryOffset() {
        for length in 0...34 {
            for position in 0..<max(length, 1) {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if position < length { bytes[position] = UInt8(value) }
                    for start in Self.starts where start <= length && start <= position + 1 {
                        Self.expectAgrees(bytes, from: start, "byte \(value) at \(position)")
                    }
                }
                if length == 0 { Self.expectAgrees([], from: 0, "empty") }
            }
        }
    }

    /// Non-ASCII and DEL bytes after the stop, in the same step or the next, are not part of the run.
    @Test func marksAfterTheStopAreNotCounted() {
        let stopBytes: [UInt8] = [0x22, 0x5C, 0x00, 0x1F]
        let markBytes: [UInt8] = [0x7F, 0x80, 0xC3, 0xFF]
        for stop in stopBytes {
            for mark in markBytes {
                for stopAt in 0..<34 {
                    for markAt in 0..<34 where markAt != stopAt {
                        var bytes = [UInt8](repeating: UInt8(ascii: "b"), count: 34)
                        bytes[stopAt] = stop
                        bytes[markAt] = mark
                        for start in [0, 1, 8, 16] where start <= stopAt {
                            Self.expectAgrees(bytes, from: start, "stop \(stop) at \(stopAt), mark \(mark) at \(markAt)")
                        }
                    }
                }
            }
        }
    }

    @Test func randomBuffersAgree() {
        var generator = SeededGenerator(seed: 0x16_5ca9)
        let specials: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for _ in 0..<5000 {
            let length = Int.random(in: 0...80, using: &generator)
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<24, using: &generator) == 0 ? specials.randomElement(using: &generator) ?? 0
                    : UInt8.random(in: 0x20...0x7E, using: &generator)
            }
            Self.expectAgrees(bytes, from: Int.random(in: 0...length, using: &generator), "random")
        }
    }

    /// What `plainStringEnd` must answer for the literal opening at `start`: the end past its closing quote when only
    /// printable ASCII comes before that quote and the sixteen-byte step (counted from the byte after the opening
    /// quote) holding it lies inside the buffer; -1 otherwise.
    static func referencePlainEnd(_ bytes: [UInt8], at start: Int) -> Int {
        let run = reference(bytes, from: start + 1)
        guard run.end < bytes.count, bytes[run.end] == 0x22, !run.nonASCII, !run.del else { return -1 }
        let step = (run.end - start - 1) / 16
        return start + 1 + 16 * step + 16 <= bytes.count ? run.end + 1 : -1
    }

    static func expectPlainEnd(_ bytes: [UInt8], at start: Int) {
        let end = bytes.withUnsafeBufferPointer { StringRunScan.plainStringEnd($0, at: start) }
        let expected = referencePlainEnd(bytes, at: start)
        if end != expected { Issue.record("literal \(bytes) at \(start): \(end), expected \(expected)") }
    }

    /// Every byte value at every position of literals of 0 to 17 and 29 to 34 bytes (closed in the first step, the
    /// second, or past it), with the buffer ending right after the literal or a few bytes short of, at or past a
    /// whole step after the step holding the closing quote.
    @Test func plainLiteralsAreFoundExactly() {
        for contentLength in Array(0...17) + Array(29...34) {
            for position in 0..<max(contentLength, 1) {
                for value in 0...255 {
                    var content = [UInt8](repeating: UInt8(ascii: "c"), count: contentLength)
                    if position < contentLength { content[position] = UInt8(value) }
                    for leading in contentLength > 17 ? [1] : [0, 1] {
                        for padding in [0, 14, 15] {
                            let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: leading) + [0x22] + content + [0x22]
                                + [UInt8](repeating: UInt8(ascii: "z"), count: padding)
                            Self.expectPlainEnd(bytes, at: leading)
                        }
                    }
                }
            }
        }
    }

    /// Long literals, plain or with one special byte anywhere, in buffers of every length around their end.
    @Test func longLiteralsAgree() {
        var generator = SeededGenerator(seed: 0x16_1e)
        let specials: [UInt8] = [0x00, 0x1F, 0x22, 0x5C, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<3000 {
            var content = (0..<Int.random(in: 16...200, using: &generator)).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                .map { $0 == 0x22 || $0 == 0x5C ? UInt8(ascii: "q") : $0 }
            if Bool.random(using: &generator), let special = specials.randomElement(using: &generator) {
                content[Int.random(in: 0..<content.count, using: &generator)] = special
            }
            let bytes = [0x22] + content + [0x22] + [UInt8](repeating: 0x20, count: Int.random(in: 0...20, using: &generator))
            Self.expectPlainEnd(bytes, at: 0)
        }
    }
}
