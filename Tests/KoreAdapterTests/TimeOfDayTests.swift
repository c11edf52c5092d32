@testable import KoreAdapter
import JSONCore
import Testing

/// Times of day: Kore.ai's `"9:00 AM"` and the gateway's `"09:00"`, strict in both directions (principle 5).
struct TimeOfDayTests {
    @Test("12-hour to 24-hour", arguments: [
        ("9:00 AM", "09:00"), ("6:00 PM", "18:00"), ("12:00 AM", "00:00"), ("12:30 PM", "12:30"), ("11:59 PM", "23:59"),
        ("12:59 AM", "00:59"), ("09:05 am", "09:05"), ("1:00 pm", "13:00"),
    ])
    func toTwentyFour(_ pair: (String, String)) {
        #expect(TimeOfDay(twelveHour: pair.0)?.twentyFourHour == pair.1)
        #expect(TimeOfDay.normalizedFromUpstream(pair.0) == pair.1)
    }

    @Test("Unparseable upstream times are kept as they are",
          arguments: ["0:00 AM", "13:00 PM", "9:0 AM", "9:00AM", "9:00  AM", "9:60 AM", "9:00 XM", "", "09:00", "9.00 AM",
                      "-1:00 AM", "9:00 AM ", " 9:00 AM", "１:00 AM"])
    func keepsGarbage(_ text: String) {
        #expect(TimeOfDay(twelveHour: text) == nil)
        #expect(TimeOfDay.normalizedFromUpstream(text) == text)
    }

    @Test("24-hour to 12-hour as Kore.ai spells it", arguments: [
        ("00:00", "12:00 AM"), ("09:00", "9:00 AM"), ("12:00", "12:00 PM"), ("18:00", "6:00 PM"), ("23:59", "11:59 PM"),
    ])
    func toTwelve(_ pair: (String, String)) {
        #expect(TimeOfDay(twentyFourHour: pair.0)?.twelveHour == pair.1)
        #expect(TimeOfDay(twelveHour: pair.1)?.twentyFourHour == pair.0)
    }

    @Test("Writes accept only HH:MM from 00:00 to 23:59",
          arguments: ["24:00", "9:00", "09:0", "09:60", "0900", "09-00", "+9:00", "09:00 ", "9:00 AM", "", "ab:cd", "٠٩:٠٠",
                     "0/:00", "0;:00", "09::0", "09:/0", "09:0:", "/9:00", ":9:00", "29:00", "09:00:00"])
    func strictTwentyFour(_ text: String) {
        #expect(TimeOfDay(twentyFourHour: text) == nil)
    }

    @Test("Every minute of the day survives both directions")
    func everyMinute() {
        for minute in 0..<1440 {
            guard let time = TimeOfDay(minutes: minute) else { Issue.record("minute \(minute)"); continue }
            #expect(TimeOfDay(twelveHour: time.twelveHour) == time)
            #expect(TimeOfDay(twentyFourHour: time.twentyFourHour) == time)
        }
    }

    @Test("The 12-hour spelling is Kore.ai's for every minute: no leading zero on the hour, upper-case AM/PM")
    func twelveHourSpellingOfEveryMinute() {
        for minute in 0..<1440 {
            guard let time = TimeOfDay(minutes: minute) else { Issue.record("minute \(minute)"); continue }
            let hour24 = minute / 60, hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12
            let expected = "\(hour12):" + (minute % 60 < 10 ? "0" : "") + "\(minute % 60)" + (hour24 < 12 ? " AM" : " PM")
            #expect(time.twelveHour == expected)
        }
        #expect(TimeOfDay(minutes: 0)?.twelveHour == "12:00 AM")
        #expect(TimeOfDay(minutes: 9 * 60 + 5)?.twelveHour == "9:05 AM")
        #expect(TimeOfDay(minutes: 23 * 60 + 59)?.twelveHour == "11:59 PM")
    }

    /// The 12-hour grammar spelled out character by character, as the parser read it before it worked on bytes in
    /// place: the reference for the byte parser.
    static func referenceTwelveHour(_ bytes: [UInt8]) -> Int? {
        guard bytes.count == 7 || bytes.count == 8 else { return nil }
        let digits = bytes.count - 6
        func number(_ part: ArraySlice<UInt8>) -> Int? {
            part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? part.reduce(0) { $0 * 10 + Int($1 - 0x30) } : nil
        }
        guard let hour = number(bytes[0..<digits]), (1...12).contains(hour), bytes[digits] == 0x3A,
              let minute = number(bytes[(digits + 1)..<(digits + 3)]), minute < 60, bytes[digits + 3] == 0x20,
              bytes[digits + 5] | 0x20 == 0x6D else { return nil }
        switch bytes[digits + 4] | 0x20 {
        case 0x61: return (hour == 12 ? 0 : hour) * 60 + minute
        case 0x70: return (hour == 12 ? 12 : hour + 12) * 60 + minute
        default: return nil
        }
    }

    @Test("The byte parser agrees with the spelled-out grammar on every byte at every position")
    func byteParserAgrees() {
        let probes: [UInt8] = [0x00, 0x20, 0x2F, 0x30, 0x31, 0x32, 0x35, 0x36, 0x39, 0x3A, 0x3B, 0x41, 0x61, 0x4D, 0x6D,
                               0x50, 0x70, 0x7F, 0x80, 0xC1, 0xE1, 0xF0, 0xFF]
        for base in ["9:00 AM", "12:59 PM", "10:30 am", "1:05 pm", "09:45 AM"] {
            let original = Array(base.utf8)
            for position in 0..<original.count {
                for probe in probes {
                    var bytes = original
                    bytes[position] = probe
                    for candidate in [bytes, Array(bytes.dropLast()), bytes + [0x4D]] {
                        let parsed = candidate.withUnsafeBufferPointer { TimeOfDay(twelveHourUTF8: $0) }
                        #expect(parsed?.minutes == Self.referenceTwelveHour(candidate), "\(candidate)")
                        #expect(TimeOfDay(twelveHourUTF8: candidate[...])?.minutes == Self.referenceTwelveHour(candidate))
                    }
                }
            }
        }
    }

    @Test("A hostile body with thousands of unknown members gets a bounded error list")
    func boundedErrors() {
        var body = WriteBodies.voice()
        for i in 0..<5000 { body = body.setting(["junk\(i)"], to: .int(i)) }
        let errors = writeErrors(body, .voice, .v2)
        #expect(errors.count == 101)
        #expect(errors.last == FieldError(field: "", message: "and 4900 more invalid fields"))
    }
}
