import JSONCore
import TestSupport
import Testing
import TextCoding

/// The word-at-a-time scans that end a JSON string's plain run, against byte-by-byte references: every special byte
/// at every offset around the eight-byte words, next to bytes that differ from it by one bit or one unit.
@Suite struct ByteScanTests {
    static func referenceRunEnd(_ bytes: [UInt8], from start: Int) -> (Int, Bool) {
        var i = start
        var high = false
        while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C, bytes[i] >= 0x20 {
            if bytes[i] >= 0x80 { high = true }
            i += 1
        }
        return (i, high)
    }

    static func referenceEscapeIndex(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        while i < bytes.count, !(bytes[i] < 0x20 || bytes[i] == 0x22 || bytes[i] == 0x5C || bytes[i] == 0x7F) { i += 1 }
        return i
    }

    /// Specials and their neighbours: the bytes a lane trick could confuse.
    static let probes: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0x9F, 0xA2, 0xDC, 0xFF]

    /// The run-end that also notes a DEL: the same end and high bits, and a DEL exactly when the run held one.
    static func expectRunWithDEL(_ buffer: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], from start: Int) {
        var high: UInt8 = 0
        var del = false
        let end = ByteScan.jsonStringRunEnd(buffer, from: start, high: &high, del: &del)
        let (expectedEnd, expectedHigh) = referenceRunEnd(bytes, from: start)
        let expectedDEL = start < expectedEnd && bytes[start..<expectedEnd].contains(0x7F)
        #expect(end == expectedEnd && (high >= 0x80) == expectedHigh && del == expectedDEL,
                "run with DEL: \(bytes) from \(start): \(end) \(high) \(del)")
    }

    @Test func everyProbeAtEveryOffset() {
        for length in 0...25 {
            for position in 0..<max(length, 1) {
                for probe in Self.probes {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if position < length { bytes[position] = probe }
                    for start in [0, 1, 7, 8, 9].filter({ $0 <= length }) {
                        bytes.withUnsafeBufferPointer { buffer in
                            var high: UInt8 = 0
                            let end = ByteScan.jsonStringRunEnd(buffer, from: start, high: &high)
                            let (expectedEnd, expectedHigh) = Self.referenceRunEnd(bytes, from: start)
                            #expect(end == expectedEnd && (high >= 0x80) == expectedHigh, "run: \(bytes) from \(start)")
                            Self.expectRunWithDEL(buffer, bytes, from: start)
                            #expect(ByteScan.jsonEscapeIndex(buffer, from: start) == Self.referenceEscapeIndex(bytes, from: start),
                                    "escape: \(bytes) from \(start)")
                        }
                    }
                }
            }
        }
    }

    @Test func randomBuffersAgreeWithTheReferences() {
        var generator = SeededGenerator(seed: 0x5ca9)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...40, using: &generator)
            // Mostly plain bytes, so runs are long enough to cross words before a special appears.
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<10, using: &generator) == 0 ? Self.probes.randomElement(using: &generator) ?? 0
                    : UInt8.random(in: 0x20...0x7E, using: &generator)
            }
            let start = Int.random(in: 0...length, using: &generator)
            bytes.withUnsafeBufferPointer { buffer in
                var high: UInt8 = 0
                let end = ByteScan.jsonStringRunEnd(buffer, from: start, high: &high)
                let (expectedEnd, expectedHigh) = Self.referenceRunEnd(bytes, from: start)
                #expect(end == expectedEnd && (high >= 0x80) == expectedHigh, "\(bytes) from \(start)")
                Self.expectRunWithDEL(buffer, bytes, from: start)
                #expect(ByteScan.jsonEscapeIndex(buffer, from: start) == Self.referenceEscapeIndex(bytes, from: start))
            }
        }
    }

    @Test func escapedStringsReadBackAtEveryOffset() throws {
        let specials: [String] = ["\"", "\\", "\n", "\u{01}", "\u{7F}", "é", "€", "😀", "/"]
        for length in 0...20 {
            for position in 0...length {
                for special in specials {
                    var text = String(repeating: "x", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    var literal: [UInt8] = []
                    JSONStringEscaping.append(text, to: &literal)
                    #expect(try JSONReader.parse(literal) == .string(text), "\(text.debugDescription)")
                    if special == "\u{7F}" || special == "\u{01}" {
                        #expect(!literal.contains(special.utf8.first ?? 0), "\(text.debugDescription) left unescaped")
                    }
                }
            }
        }
    }

    @Test func invalidUTF8AfterLongASCIIRunsIsRefused() {
        for length in 0...20 {
            let body = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "a"), count: length) + [0xC3, 0x28, UInt8(ascii: "\"")]
            #expect(throws: JSONError.self) { try JSONReader.parse(body) }
            let control = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "a"), count: length) + [0x0A, UInt8(ascii: "\"")]
            #expect(throws: JSONError.self) { try JSONReader.parse(control) }
        }
    }
}
