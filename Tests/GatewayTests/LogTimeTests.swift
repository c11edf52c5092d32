@testable import Gateway
import Testing

/// The log line's numbers are written as bytes; they must read as the String formatting they replaced.
@Suite struct LogTimeTests {
    /// The formatting the byte writer replaced, as it was.
    static func reference(_ seconds: Double) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let whole = micros / 1000, frac = micros % 1000
        let fracText = String(frac)
        return "\(whole).\(String(repeating: "0", count: 3 - fracText.count))\(fracText)"
    }

    @Test func millisecondsAsBefore() {
        var samples: [Double] = [0, 0.000_42, 0.000_000_4, 0.000_000_6, 1.234_567, 0.01, 0.1, 12.000_5, 3600, 86_400.999_999_9]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { samples.append(Double.random(in: 0..<100, using: &generator)) }
        for seconds in samples { #expect(LogTime.milliseconds(seconds) == Self.reference(seconds), "\(seconds)") }
        #expect(LogTime.milliseconds(0.000_42) == "0.420")
        #expect(LogTime.milliseconds(1.234_567) == "1234.567")
    }

    @Test func aClockGoneWrongStillGivesANumber() {
        #expect(LogTime.milliseconds(.nan) == "0.000")
        #expect(LogTime.milliseconds(.infinity) == "0.000")
    }

    @Test func integersAsStringSpellsThem() {
        for value in [0, 1, 9, 10, 200, 503, -1, -120, Int.max, Int.min] {
            var out: [UInt8] = []
            LogTime.appendInteger(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}
