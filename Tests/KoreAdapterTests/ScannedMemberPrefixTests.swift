@testable import KoreAdapter
import Testing

/// A key's word (its first eight bytes, zeros after a shorter key) decides nearly every member lookup, so the word a
/// lookup computes for the key it asks for (whole and overlapping loads) must be the word the scanner recorded for
/// the same key in the answer (one masked load, or bytes near the buffer's end), for every length.
@Suite struct ScannedMemberPrefixTests {
    /// The word spelled out byte by byte.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        var word: UInt64 = 0
        for (i, byte) in bytes.prefix(8).enumerated() { word |= UInt64(byte) << UInt64(8 * i) }
        return word
    }

    @Test func everyLengthGivesTheByteByByteWord() {
        let text: [UInt8] = Array("abcdefghijklmnop\u{7F}\u{80}xyz".utf8) + [0xFF, 0x01]
        for start in 0..<text.count {
            for end in start...text.count {
                let key = Array(text[start..<end])
                let expected = Self.reference(key)
                let asked = key.withUnsafeBufferPointer { ScannedMember.prefix($0) }
                #expect(asked == expected, "key \(key): lookup word \(String(asked, radix: 16))")
                let recorded = text.withUnsafeBufferPointer { ScannedMember.prefix($0, start..<end) }
                #expect(recorded == expected, "key \(key) at \(start): recorded word \(String(recorded, radix: 16))")
            }
        }
    }
}
