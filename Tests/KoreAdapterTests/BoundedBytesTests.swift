@testable import KoreAdapter
import JSONCore
import Testing

/// The fixed-room writer Kore.ai's write body is written with: every write checked against the room left.
struct BoundedBytesTests {
    /// Writes with `body` into `room` bytes; the bytes written and whether a write did not fit.
    static func written(room: Int, _ body: (inout BoundedBytes) -> Void) -> (bytes: [UInt8], overflowed: Bool) {
        var overflowed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
            var out = BoundedBytes(UnsafeMutableBufferPointer(rebasing: buffer[0..<room]))
            body(&out)
            overflowed = out.overflowed
            initialized = out.count
        }
        return (bytes, overflowed)
    }

    @Test("Decimals are spelled as String(value) spells them, the extremes included")
    func decimals() {
        for value in [0, 1, 9, 10, 99, 100, 1440, -1, -10, 12345678901234, Int.max, Int.min, Int.min + 1] {
            let out = Self.written(room: 32) { $0.append(decimal: value) }
            #expect(String(decoding: out.bytes, as: UTF8.self) == String(value))
            #expect(!out.overflowed)
        }
    }

    @Test("String literals are the escaper's bytes, with and without escapes")
    func literals() {
        for text in ["", "plain", "quote \" backslash \\ nul \u{0} del \u{7F} line \u{2028}", "Grüße ✓ 😀",
                     String(repeating: "x", count: 300)] {
            let out = Self.written(room: JSONStringEscapingRoom.max(text)) { $0.appendLiteral(text) }
            #expect(out.bytes == JSONValue.string(text).bytes)
            #expect(!out.overflowed)
        }
    }

    @Test("A write that does not fit is dropped and marks the output, never written past the room")
    func overflow() throws {
        let ten = try #require(TimeOfDay(minutes: 600))
        let cases: [(Int, (inout BoundedBytes) -> Void)] = [
            (0, { $0.append(UInt8(ascii: "x")) }),
            (3, { $0.append("four") }),
            (19, { $0.append(decimal: 1) }),
            (7, { $0.append(twelveHour: ten) }),
            (6, { $0.appendLiteral("abcde") }),
            (10, { $0.appendLiteral("a\"b") }),
        ]
        for (room, write) in cases {
            let out = Self.written(room: room, write)
            #expect(out.overflowed, "room \(room)")
            #expect(out.bytes.count <= room)
        }
        // What fits exactly is written.
        let exact = Self.written(room: 7) { $0.appendLiteral("abcde") }
        #expect(exact.bytes == Array("\"abcde\"".utf8) && !exact.overflowed)
        let time = Self.written(room: 8) { $0.append(twelveHour: ten) }
        #expect(time.bytes == Array("10:00 AM".utf8) && !time.overflowed)
    }
}

private enum JSONStringEscapingRoom {
    static func max(_ text: String) -> Int { text.utf8.count * 6 + 2 }
}
