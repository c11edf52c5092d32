#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GatewayCrypto
import Synchronization

/// Per-tenant token cache: reuses a token until `refreshAheadSeconds` (default: 10% of ttl, at least 5 s, at most 60 s) before exp; one mint at a time per tenant (Synchronization.Mutex; minting is microseconds so minting under the lock is the single-flight). enforceJti tenants always get a fresh token with a random jti (32 hex chars) and exp <= now + min(ttl, 3600). Counts mints (for a metric).
///
/// Cached tokens carry no `jti`. Refreshing ahead of `exp` leaves room for clock skew and for the
/// request's own flight time, so Kore.ai never sees a token that expired in transit.
public final class TokenCache: Sendable {
    /// Whether every call gets a fresh token with a random `jti` (the tenant's Kore.ai app rejects replays).
    public let enforceJti: Bool
    /// How long before `exp` a cached token stops being handed out.
    public let refreshAheadSeconds: Int

    private let minter: TokenMinter
    /// The same minter capped at one hour: Kore.ai wants `jti` tokens short-lived.
    private let jtiMinter: TokenMinter
    private let clock: @Sendable () -> Int
    /// The cached token, when it was issued, when it stops being reused, and how many tokens were minted.
    private let state = Mutex<(token: String?, issuedAt: Int, refreshAt: Int, mints: Int)>((nil, 0, 0, 0))

    /// One hour: the longest lifetime of a `jti` token.
    private static let maximumJtiTTL = 3600

    /// Creates a cache for one tenant.
    ///
    /// - Parameters:
    ///   - minter: Signs the tenant's tokens.
    ///   - enforceJti: Mint a fresh token with a random `jti` for every call instead of caching.
    ///   - refreshAheadSeconds: Stop reusing a token this long before its `exp`. Nil (the default) means 10% of the
    ///     minter's ttl, clamped to 5...60 seconds. Negative values count as 0.
    ///   - clock: Current Unix time in seconds; injectable for tests.
    public init(
        minter: TokenMinter,
        enforceJti: Bool,
        refreshAheadSeconds: Int? = nil,
        clock: @escaping @Sendable () -> Int = { Int(time(nil)) }
    ) {
        self.minter = minter
        self.jtiMinter = minter.ttlSeconds > Self.maximumJtiTTL ? minter.withTTL(Self.maximumJtiTTL) : minter
        self.enforceJti = enforceJti
        self.refreshAheadSeconds = max(0, refreshAheadSeconds ?? min(60, max(5, minter.ttlSeconds / 10)))
        self.clock = clock
    }

    /// A token valid now: the cached one while it is fresh, otherwise a newly minted one.
    /// Treat the result as a secret (never log it).
    public func token() -> String {
        let now = clock()
        if enforceJti {
            // Each token is unique, so there is nothing to share and no reason to serialise minting.
            let token = jtiMinter.mint(now: now, jti: SecureRandom.hexString(byteCount: 16))
            state.withLock { $0.mints += 1 }
            return token
        }
        return state.withLock { cache in
            // `now < issuedAt` means the wall clock stepped back: a token "issued in the future" may be refused.
            if let token = cache.token, now >= cache.issuedAt, now < cache.refreshAt {
                return token
            }
            // Minting takes microseconds, so doing it under the lock is the single flight: callers that arrive
            // meanwhile wait briefly and then reuse this token instead of minting their own.
            let token = minter.mint(now: now)
            let (refreshAt, overflow) = now.addingReportingOverflow(minter.ttlSeconds - refreshAheadSeconds)
            cache = (token, now, overflow ? Int.max : refreshAt, cache.mints + 1)
            return token
        }
    }

    /// Drops the cached token so the next call mints anew (after an upstream 401/403).
    public func invalidate() {
        state.withLock { $0.token = nil }
    }

    /// Drops the cached token only if it is still `token`. When many requests fail with the same token at once,
    /// this keeps the late ones from throwing away the fresh token the first one already caused to be minted.
    public func invalidate(token: String) {
        state.withLock { cache in
            if cache.token == token { cache.token = nil }
        }
    }

    /// How many tokens this cache has minted (for a metric).
    public var mintCount: Int {
        state.withLock { $0.mints }
    }
}

extension TokenCache: CustomReflectable {
    /// Reflection shows configuration only, never the cached token.
    public var customMirror: Mirror {
        Mirror(self, children: ["minter": minter, "enforceJti": enforceJti, "refreshAheadSeconds": refreshAheadSeconds])
    }
}
