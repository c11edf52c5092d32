/// The `jti` values one tenant has accepted, for replay detection when the tenant enforces `jti`.
///
/// A jti only needs remembering until its token expires (an expired token is refused anyway), so entries are pruned by
/// `exp`; that keeps a long-running `kore-sim` under load from growing without bound.
struct JTIRegistry: Sendable {
    private var expiries: [String: Int] = [:]
    /// The size at which the next insertion prunes expired entries; doubles when pruning frees too little.
    private var pruneThreshold = 1024

    /// Records `jti` as used until `expiresAt`. Returns false when it was seen before (a replay).
    mutating func register(_ jti: String, expiresAt: Int, now: Int) -> Bool {
        // Any earlier sighting is a replay, even of a since-expired token; only pruning (below) forgets a jti.
        guard expiries[jti] == nil else { return false }
        expiries[jti] = expiresAt
        if expiries.count >= pruneThreshold { prune(now: now) }
        return true
    }

    /// How many jtis are remembered.
    var count: Int { expiries.count }

    private mutating func prune(now: Int) {
        expiries = expiries.filter { $0.value > now }
        // Amortize: if most entries are still live, wait for twice as many before scanning again.
        pruneThreshold = max(1024, expiries.count * 2)
    }
}
