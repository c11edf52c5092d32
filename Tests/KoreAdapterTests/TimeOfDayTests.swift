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
          arguments: ["24:00", "9:00", "09:0", "09:60", "0900", "09-00", "+9:00", "09:00 ", "9:00 AM", "", "ab:cd", "٠٩:٠٠"])
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

    @Test("A hostile body with thousands of unknown members gets a bounded error list")
    func boundedErrors() {
        var body = WriteBodies.voice()
        for i in 0..<5000 { body = body.setting(["junk\(i)"], to: .int(i)) }
        let errors = writeErrors(body, .voice, .v2)
        #expect(errors.count == 101)
        #expect(errors.last == FieldError(field: "", message: "and 4900 more invalid fields"))
    }
}
