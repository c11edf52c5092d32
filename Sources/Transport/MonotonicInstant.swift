#if canImport(Glibc)
import Glibc
#endif

/// A point on CLOCK_MONOTONIC in nanoseconds. Plain value type so state machines can be driven by a mock clock:
/// tests construct instants directly instead of sleeping.
public struct MonotonicInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func now() -> MonotonicInstant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return MonotonicInstant(nanoseconds: UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec))
    }

    /// This instant in seconds on the monotonic clock, for code that measures and compares durations as numbers
    /// (pacing, breakers, latencies).
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// `self` plus `seconds` (negative or non-finite values count as 0; huge values saturate).
    public func adding(seconds: Double) -> MonotonicInstant {
        guard seconds.isFinite, seconds > 0 else { return self }
        let nanos = seconds * 1e9
        let delta: UInt64 = nanos >= Double(UInt64.max / 2) ? UInt64.max / 2 : UInt64(nanos)
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        return MonotonicInstant(nanoseconds: overflow ? UInt64.max : sum)
    }

    /// Seconds from `earlier` to `self`, 0 when `earlier` is later.
    public func seconds(since earlier: MonotonicInstant) -> Double {
        nanoseconds > earlier.nanoseconds ? Double(nanoseconds - earlier.nanoseconds) / 1e9 : 0
    }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(Double(nanoseconds) / 1e9)s" }
}
