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

    /// The in-place writer the log line uses: every power of ten and the numbers either side of it, both signs,
    /// the extremes and random values, each as `String` spells it and nothing written past it.
    @Test func integersWrittenInPlaceAsStringSpellsThem() {
        var values = [0, Int.max, Int.min, Int.min + 1]
        var power = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, -(power - 1), -(power + 1)]
            power = power &* 10
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { values.append(Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0..<63, using: &generator)) }
        for value in values {
            let text = [UInt8](unsafeUninitializedCapacity: 24) { out, count in
                out.initialize(repeating: 0xEE)
                var index = 2
                LogTime.writeInteger(value, into: out, at: &index)
                #expect(out[0] == 0xEE && out[1] == 0xEE && (index == 24 || out[index] == 0xEE), "\(value)")
                count = index
            }
            #expect(String(decoding: text.dropFirst(2), as: UTF8.self) == String(value))
        }
    }
}
