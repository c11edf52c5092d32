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

    public static func policy(_ quota: PacingQuota) -> String {
        let window = quota.windowSeconds.rounded(.up)
        // At least 1; a window beyond Int's range (or not a number) cannot come from the configuration, and is
        // written as a bound rather than trapping.
        let seconds: Int
        if window.isNaN || window <= 1 { seconds = 1 } else if window >= 9.2e18 { seconds = Int.max } else { seconds = Int(window) }
        // The literal spells `policyName`.
        return field(#""account";q="#, quota.limit, ";w=", seconds)
    }

    /// `elapsedSeconds` since the quota was decided: the effective window has shrunk by that much since.
    public static func current(_ quota: PacingQuota, elapsedSeconds: Double = 0) -> String {
        let left = max(0, quota.effectiveWindowSeconds - max(0, elapsedSeconds))
        // With quota left, rounding down keeps the promise "no more than r within t"; with none, rounding up keeps
        // `t` equal to the `Retry-After` that goes with it.
        let seconds = quota.remaining > 0 ? Int(min(left, 86_400).rounded(.down)) : AccountPacer.retryAfterSeconds(left)
        return field(#""account";r="#, max(0, quota.remaining), ";t=", seconds)
    }

    /// `prefix`, `first`, `middle`, `second`: the digits written straight into the string (these two fields go on
    /// every answer that made a paced call; interpolation built them through several intermediate strings).
    static func field(_ prefix: StaticString, _ first: Int, _ middle: StaticString, _ second: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.utf8CodeUnitCount + middle.utf8CodeUnitCount + 40)
        bytes.append(contentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        LogTime.appendInteger(first, to: &bytes)
        bytes.append(contentsOf: UnsafeBufferPointer(start: middle.utf8Start, count: middle.utf8CodeUnitCount))
        LogTime.appendInteger(second, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
