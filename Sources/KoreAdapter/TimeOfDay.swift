/// A time of day in minutes after midnight, spelled two ways: Kore.ai's 12-hour `"9:00 AM"` and the gateway's
/// 24-hour `"09:00"`.
///
/// Both parsers are strict, so that a value maps back to exactly what it came from:
/// - 12-hour: `H:MM AM` or `HH:MM PM`, hour 1-12, minutes 00-59, one space, `AM`/`PM` in either case
///   (`"12:00 AM"` is midnight, `"12:30 PM"` half past noon).
/// - 24-hour: exactly `HH:MM`, 00-23 and 00-59. `24:00` is refused: Kore.ai's 12-hour form cannot express it.
struct TimeOfDay: Sendable, Equatable, Comparable {
    /// Minutes after midnight, 0..<1440.
    let minutes: Int

    init?(minutes: Int) {
        guard (0..<1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// Parses Kore.ai's `"9:00 AM"`.
    init?(twelveHour text: String) {
        self.init(twelveHourUTF8: Array(text.utf8)[...])
    }

    /// The same on the text's UTF-8 (the byte-to-byte normalizer reads times in place). `AM`/`PM` in either case:
    /// no other two bytes of UTF-8 uppercase to them, so comparing ASCII letters is what `uppercased()` decided.
    init?(twelveHourUTF8 text: ArraySlice<UInt8>) {
        guard let parsed = text.withUnsafeBufferPointer({ TimeOfDay(twelveHourUTF8: $0) }) else { return nil }
        self = parsed
    }

    /// The same on bytes in place: `H:MM AM` is 7 bytes, `HH:MM AM` 8, every index read below is within them.
    init?(twelveHourUTF8 text: UnsafeBufferPointer<UInt8>) {
        let count = text.count
        guard count == 7 || count == 8 else { return nil }
        let hourDigits = count - 6  // one or two
        let h0 = Int(text[0]) &- 0x30, h1 = hourDigits == 2 ? Int(text[1]) &- 0x30 : 0
        guard (0...9).contains(h0), (0...9).contains(h1) else { return nil }
        let hour = hourDigits == 2 ? h0 * 10 + h1 : h0
        let m0 = Int(text[hourDigits + 1]) &- 0x30, m1 = Int(text[hourDigits + 2]) &- 0x30
        guard (1...12).contains(hour), text[hourDigits] == UInt8(ascii: ":"),
              (0...5).contains(m0), (0...9).contains(m1), text[hourDigits + 3] == UInt8(ascii: " ") else { return nil }
        let minute = m0 * 10 + m1
        // A leading zero on the hour ("09:00 AM") is accepted: it is unambiguous.
        let half = text[hourDigits + 4] | 0x20, m = text[hourDigits + 5] | 0x20
        guard m == UInt8(ascii: "m") else { return nil }
        let hour24: Int
        switch half {
        case UInt8(ascii: "a"): hour24 = hour == 12 ? 0 : hour
        case UInt8(ascii: "p"): hour24 = hour == 12 ? 12 : hour + 12
        default: return nil
        }
        self.minutes = hour24 * 60 + minute
    }

    /// Parses the gateway's `"09:00"`.
    init?(twentyFourHour text: String) {
        // Read on the string's own UTF-8 (contiguous for a native string), without an array of its bytes.
        var text = text
        guard let minutes = text.withUTF8({ bytes -> Int? in
            func digit(_ at: Int) -> Int? {
                bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9") ? Int(bytes[at] &- UInt8(ascii: "0")) : nil
            }
            // Every index read is below 5, the count checked first.
            guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"), let h0 = digit(0), let h1 = digit(1),
                  h0 * 10 + h1 < 24, let m0 = digit(3), let m1 = digit(4), m0 * 10 + m1 < 60 else { return nil }
            return (h0 * 10 + h1) * 60 + m0 * 10 + m1
        }) else { return nil }
        self.minutes = minutes
    }

    /// `"09:00"` appended as bytes.
    func appendTwentyFourHour(to out: inout [UInt8]) {
        let hour = minutes / 60, minute = minutes % 60
        out.append(UInt8(ascii: "0") + UInt8(hour / 10))
        out.append(UInt8(ascii: "0") + UInt8(hour % 10))
        out.append(UInt8(ascii: ":"))
        out.append(UInt8(ascii: "0") + UInt8(minute / 10))
        out.append(UInt8(ascii: "0") + UInt8(minute % 10))
    }

    /// `"09:00"`.
    var twentyFourHour: String {
        TimeOfDay.twoDigits(minutes / 60) + ":" + TimeOfDay.twoDigits(minutes % 60)
    }

    /// `"9:00 AM"`, the way Kore.ai's samples spell it (no leading zero on the hour).
    var twelveHour: String {
        let hour24 = minutes / 60
        let hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12
        let minute = minutes % 60
        // At most eight ASCII bytes: written in place and made a small string, without interpolation or joins.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { text -> String in
            var count = 0
            func put(_ byte: UInt8) {
                text[count] = byte
                count += 1
            }
            if hour12 >= 10 { put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: hour12 / 10)) }
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: hour12 % 10))
            put(UInt8(ascii: ":"))
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: minute / 10))
            put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: minute % 10))
            put(UInt8(ascii: " "))
            put(hour24 < 12 ? UInt8(ascii: "A") : UInt8(ascii: "P"))
            put(UInt8(ascii: "M"))
            return String(decoding: UnsafeBufferPointer(rebasing: text[..<count]), as: UTF8.self)
        }
    }

    static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { lhs.minutes < rhs.minutes }

    /// Upstream `"9:00 AM"` to `"09:00"`; anything unparseable is returned unchanged (reads never invent data).
    static func normalizedFromUpstream(_ text: String) -> String {
        TimeOfDay(twelveHour: text)?.twentyFourHour ?? text
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
