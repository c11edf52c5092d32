/// Kore.ai's limit on the campaign APIs, as the simulator enforces it: at most `limit` calls per account in any
/// 60-second window (Kore.ai documents "60 requests per minute per account", one 60-second window). A call beyond it
/// is answered 429 with Kore.ai's message and does not count. A gateway that paces wrongly meets a 429 here, as it
/// would on Kore.ai.
///
/// The calls of one window are kept per account: at most `limit` times each, so memory follows the limit and the
/// accounts of the configured tenants.
struct AccountRateLimiter: Sendable {
    static let windowSeconds = 60.0

    private var admitted: [String: [Double]] = [:]

    /// Admits one call for `account` at `now` (seconds on a monotonic clock) under `limit`, or answers the seconds
    /// until the oldest call of the window leaves it.
    mutating func admit(account: String, now: Double, limit: Int) -> Double? {
        var times = admitted[account] ?? []
        let horizon = now - Self.windowSeconds
        if let stale = times.firstIndex(where: { $0 > horizon }) {
            times.removeFirst(stale)
        } else {
            times.removeAll()
        }
        if times.count >= max(1, limit) {
            admitted[account] = times
            return times[times.count - max(1, limit)] + Self.windowSeconds - now
        }
        times.append(now)
        admitted[account] = times
        return nil
    }
}
