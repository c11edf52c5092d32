import Glibc
import Synchronization

/// A moment on the wall clock (CLOCK_REALTIME), for the `time` of log and audit lines. Durations use
/// `MonotonicClock`, which wall-clock jumps cannot bend.
public struct WallClockTime: Sendable, Equatable {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func now() -> WallClockTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return WallClockTime(seconds: Int(ts.tv_sec), nanoseconds: Int(ts.tv_nsec))
    }

    /// `2026-12-04T19:05:43.123Z`: ISO 8601 in UTC with milliseconds, written by hand (no calendar library).
    public var iso8601: String {
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendISO8601(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The length of the `iso8601` text.
    static let iso8601Count = 24

    /// The `iso8601` text written into `out` at `index` (which advances by `iso8601Count`): the log line writes it
    /// in place, digits straight into its buffer.
    func writeISO8601(into out: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        // Every line of the same second starts with the same 20 bytes (`2026-12-04T19:05:43.`): kept from the last
        // line, so the calendar is worked out once a second, not once a line.
        let start = index
        let millis = nanoseconds / 1_000_000 % 1000
        let reused = Self.lastSecond.withLock { last -> Bool in
            guard last.seconds == seconds, start + 20 <= out.count else { return false }
            withUnsafeBytes(of: last.prefix) { prefix in
                for i in 0..<20 { out[start + i] = prefix[i] }
            }
            return true
        }
        guard !reused else {
            var o = start + 20
            out[o] = UInt8(48 + millis / 100); out[o + 1] = UInt8(48 + millis / 10 % 10); out[o + 2] = UInt8(48 + millis % 10)
            out[o + 3] = 0x5A
            o += 4
            index = o
            return
        }
        writeISO8601Computing(into: out, at: &index)
        guard start + 20 <= out.count else { return }
        Self.lastSecond.withLock { last in
            last.seconds = seconds
            withUnsafeMutableBytes(of: &last.prefix) { prefix in
                for i in 0..<20 { prefix[i] = out[start + i] }
            }
        }
    }

    /// The first 20 bytes of the last second's text (up to and with the `.` before the milliseconds).
    private struct SecondPrefix {
        var seconds = Int.min
        var prefix: (UInt64, UInt64, UInt32) = (0, 0, 0)
    }

    private static let lastSecond = Mutex(SecondPrefix())

    /// `writeISO8601` with the calendar worked out (gmtime_r).
    private func writeISO8601Computing(into out: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        var o = index
        @inline(__always) func two(_ value: Int32, then separator: UInt8) {
            let v = Int(value)
            out[o] = UInt8(48 + v / 10 % 10); out[o + 1] = UInt8(48 + v % 10); out[o + 2] = separator
            o += 3
        }
        let year = (Int(parts.tm_year) + 1900) % 10000, millis = nanoseconds / 1_000_000 % 1000
        out[o] = UInt8(48 + year / 1000); out[o + 1] = UInt8(48 + year / 100 % 10)
        out[o + 2] = UInt8(48 + year / 10 % 10); out[o + 3] = UInt8(48 + year % 10); out[o + 4] = 0x2D
        o += 5
        two(parts.tm_mon + 1, then: 0x2D)
        two(parts.tm_mday, then: 0x54)
        two(parts.tm_hour, then: 0x3A)
        two(parts.tm_min, then: 0x3A)
        two(parts.tm_sec, then: 0x2E)
        out[o] = UInt8(48 + millis / 100); out[o + 1] = UInt8(48 + millis / 10 % 10); out[o + 2] = UInt8(48 + millis % 10)
        out[o + 3] = 0x5A
        index = o + 4
    }

    /// The `iso8601` text appended to `out` as bytes.
    public func appendISO8601(to out: inout [UInt8]) {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(48 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); out.append(0x2D)
        digits(Int(parts.tm_mon) + 1, 2); out.append(0x2D)
        digits(Int(parts.tm_mday), 2); out.append(0x54)
        digits(Int(parts.tm_hour), 2); out.append(0x3A)
        digits(Int(parts.tm_min), 2); out.append(0x3A)
        digits(Int(parts.tm_sec), 2); out.append(0x2E)
        digits(nanoseconds / 1_000_000, 3); out.append(0x5A)
    }
}
