/// Where the records of `Idempotency-Key` writes live: in this process (`InProcessIdempotencyStore`), or shared by
/// every replica (a Redis implementation, so any replica replays the answer another one stored).
///
/// The contract every implementation keeps:
/// - **One runner per key.** `claim` is atomic: of any number of concurrent claims of one free key, exactly one gets
///   `.claimed`; the others see `.inProgress` (same request) or `.otherRequest` (another fingerprint). In Redis:
///   `SET key <in-progress record> NX PX lease`.
/// - **A lease, not a lock forever.** A claim lasts `leaseSeconds` (the longest a request can take); a record still
///   in progress after that is free again, so a crashed replica cannot block a key for a day.
/// - **Only the holder finishes.** `complete` and `release` act only while the record is still the claim's (its
///   `token`); a late holder whose lease ran out changes nothing (in Redis, a script compares the token).
/// - **Answers kept for the TTL.** A completed record holds the fingerprint and the answer for `ttlSeconds`; the
///   same key and fingerprint then get `.stored`, another fingerprint `.otherRequest`.
/// - **Bounded.** An implementation bounds what it keeps (entries and bytes in process; `maxmemory` with
///   `noeviction` and the TTL in Redis) and says what happens at the bound.
/// - **Never hangs.** A store that cannot answer says `.unavailable` (the write is then refused with a retryable
///   503 rather than run without the promise).
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for a request with `fingerprint`, or says what the key holds.
    func claim(key: String, fingerprint: [UInt8], leaseSeconds: Double) async -> IdempotencyClaim
    /// Stores the answer of the request holding `token`'s claim, kept `ttlSeconds`.
    func complete(key: String, token: String, answer: StoredAnswer, ttlSeconds: Int) async
    /// Frees the key: the request holding `token`'s claim changed nothing at Kore.ai, so a retry may run afresh.
    func release(key: String, token: String) async
    /// What the key holds for a request with `fingerprint`, without claiming it (dry runs).
    func peek(key: String, fingerprint: [UInt8]) async -> IdempotencyClaim
}

/// What a key holds for a request.
public enum IdempotencyClaim: Sendable, Equatable {
    /// Free (or claimed now, when answered to `claim`): the request runs; `token` identifies the claim.
    case claimed(token: String)
    /// The same request is still running; try again in about `retryAfterSeconds`.
    case inProgress(retryAfterSeconds: Int)
    /// The same request ran: its answer.
    case stored(StoredAnswer)
    /// The key was used for a different request (method, route, tenant or body).
    case otherRequest
    /// The store cannot be reached.
    case unavailable
}
