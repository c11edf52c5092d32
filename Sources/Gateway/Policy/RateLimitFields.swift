import Synchronization

/// The `RateLimit-Policy` and `RateLimit` response fields of draft-ietf-httpapi-ratelimit-headers-11 (Structured
/// Field lists of one item each, named `"account"`: the quota is Kore.ai's, per account):
///
///     RateLimit-Policy: "account";q=60;w=60
///     RateLimit: "account";r=17;t=23
///
/// `q` is the calls allowed in any window of `w` seconds; `r` how many more the account's budget allows right now;
/// `t` the seconds within which no more than `r` can be made (the draft's "effective window"): until the oldest
/// counted call leaves the sliding window, or, when `r` is 0, until the next slot, which is then the `Retry-After`.
public enum RateLimitFields {
    public static let policyName = "account"

    /// The policy field written last, with what it was written for: every answer of an account (usually of every
    /// account) carries the same one, so it is built again only when the quota's limit or window changes.
    private static let lastPolicy = Mutex<(limit: Int, seconds: Int, field: String)?>(nil)

    public static func policy(_ quota: PacingQuota) -> String {
        let window = quota.windowSeconds.rounded(.up)
        // At least 1; a window beyond Int's range (or not a number) cannot come from the configuration, and is
        // written as a bound rather than trapping.
        let seconds: Int
        if window.isNaN || window <= 1 { seconds = 1 } else if window >= 9.2e18 { seconds = Int.max } else { seconds = Int(window) }
        let limit = quota.limit
        if let last = lastPolicy.withLock({ $0 }), last.limit == limit, last.seconds == seconds { return last.field }
        // The literal spells `policyName`.
        let field = field(#""account";q="#, limit, ";w=", seconds)
        lastPolicy.withLock { $0 = (limit, seconds, field) }
        return field
    }

    /// `elapsedSeconds` since the quota was decided: the effective window has shrunk by that much since.
    public static func current(_ quota: PacingQuota, elapsedSeconds: Double = 0) -> String {
        let left = max(0, quota.effectiveWindowSeconds - max(0, elapsedSeconds))
        // With quota left, rounding down keeps the promise "no more than r within t"; with none, rounding up keeps
        // `t` equal to the `Retry-After` that goes with it.
        let seconds = quota.remaining > 0 ? Int(min(left, 86_400).rounded(.down)) : AccountPacer.retryAfterSeconds(left)
        return field(#""account";r="#, max(0, quota.remaining), ";t=", seconds)
    }

    /// `prefix`, `first`, `middle`, `second`: the digits written straight into the string's own storage (these two
    /// fields go on every answer that made a paced call; an array in between cost a second allocation). Written
    /// through a pointer and an index kept in registers: nested functions capturing the count cost an exclusivity
    /// check per byte (about 1,400 instructions a field, now about 200).
    static func field(_ prefix: StaticString, _ first: Int, _ middle: StaticString, _ second: Int) -> String {
        // Two integers of at most 20 characters each (a sign and 19 digits).
        let capacity = prefix.utf8CodeUnitCount + middle.utf8CodeUnitCount + 40
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var count = 0
            count = put(prefix, into: buffer, at: count)
            count = put(first, into: buffer, at: count)
            count = put(middle, into: buffer, at: count)
            count = put(second, into: buffer, at: count)
            return count
        }
    }

    /// Copies `text` into `buffer` from `index` as far as it fits; the index after it.
    private static func put(_ text: StaticString, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        let start = text.utf8Start
        var at = index
        for i in 0..<text.utf8CodeUnitCount where at < buffer.count {
            buffer[at] = start[i]
            at += 1
        }
        return at
    }

    /// Writes `value`'s decimal digits (a `-` first when negative) into `buffer` from `index` as far as they fit; the
    /// index after them.
    private static func put(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        var at = index
        if value < 0, at < buffer.count {
            buffer[at] = UInt8(ascii: "-")
            at += 1
        }
        var magnitude = value.magnitude
        // Up to 20 digits into a small stack buffer, least significant first, then copied in order.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { scratch in
            var n = 0
            repeat {
                scratch[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0 && n < scratch.count
            while n > 0, at < buffer.count {
                n -= 1
                buffer[at] = scratch[n]
                at += 1
            }
            return at
        }
    }
}
