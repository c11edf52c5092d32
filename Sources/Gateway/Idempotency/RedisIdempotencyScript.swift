import GatewayCrypto

/// The shared `IdempotencyStore`'s one round trip per step: a Lua script that claims, completes or releases a
/// record atomically in Redis, so any replica replays what another stored. A Redis-backed store sends it with
/// `EVALSHA` (loading it after a `NOSCRIPT`), builds its arguments and reads its replies with the functions here,
/// and answers `.unavailable` when Redis cannot be reached or a record cannot be read.
///
/// Contract (`EVALSHA sha 1 key mode token value milliseconds`):
/// - `KEYS[1]` (`key(prefix:storeKey:)`): the record, a string. In progress: `p|<token>|<fingerprint hex>`, kept for
///   the lease. Completed: `d|<fingerprint hex>|<StoredAnswer.encoded()>`, kept for the TTL.
/// - `ARGV[1]` mode. `claim`: `ARGV[3]` is the in-progress value and `ARGV[4]` the lease in ms; sets the record when
///   the key is free and replies `{1}`, else replies `{0, <the record>}`. `complete`: `ARGV[3]` is the encoded
///   answer and `ARGV[4]` the TTL in ms; replaces the record, with the claim's own fingerprint (so the holder need
///   not carry it), only while it is still `ARGV[2]`'s claim, replying 1
///   (0 when the claim was lost: its lease ran out and someone else may hold the key). `release`: deletes the record
///   only while it is still `ARGV[2]`'s claim, replying 1 or 0.
/// - Expiry is Redis's (`PX`), on its clock. The keys must not be evicted early: Redis runs them under `noeviction`.
public enum RedisIdempotencyScript {
    public static let source = """
    local mode, token = ARGV[1], ARGV[2]
    local ms = tonumber(ARGV[4])
    if not ms or ms < 1 or not token or #token == 0 then
      return redis.error_reply('ERR idempotency script: bad arguments')
    end
    local record = redis.call('GET', KEYS[1])
    if mode == 'claim' then
      if record then return {0, record} end
      redis.call('SET', KEYS[1], ARGV[3], 'PX', ms)
      return {1}
    end
    local mine = record and string.sub(record, 1, #token + 3) == 'p|' .. token .. '|'
    if mode == 'complete' then
      if not mine then return 0 end
      local print = string.sub(record, #token + 4)
      redis.call('SET', KEYS[1], 'd|' .. print .. '|' .. ARGV[3], 'PX', ms)
      return 1
    elseif mode == 'release' then
      if not mine then return 0 end
      redis.call('DEL', KEYS[1])
      return 1
    end
    return redis.error_reply('ERR idempotency script: mode must be claim, complete or release')
    """

    /// The record's key: the prefix and the request's `storeKey` (already a SHA-256 in hex: no brace, no space).
    public static func key(prefix: String, storeKey: String) -> String {
        prefix + "idem:{" + storeKey + "}"
    }

    /// ARGV for a claim; `token` is random per request (`SecureRandom`), without `|`.
    public static func claimArguments(token: String, fingerprint: [UInt8], leaseSeconds: Double) -> [String] {
        ["claim", token, "p|" + token + "|" + Hex.encode(fingerprint), String(milliseconds(leaseSeconds))]
    }

    /// ARGV for storing `answer` under the claim of `token` (the script takes the fingerprint from the claim).
    public static func completeArguments(token: String, answer: StoredAnswer, ttlSeconds: Int) -> [String] {
        ["complete", token, String(decoding: answer.encoded(), as: UTF8.self), String(milliseconds(Double(ttlSeconds)))]
    }

    /// ARGV for freeing the key held by `token`.
    public static func releaseArguments(token: String) -> [String] {
        ["release", token, "", "1"]
    }

    /// What a record found by a claim means for a request with `fingerprint`; `.unavailable` for a record that is
    /// not one of the two forms (a store can hold anything: a broken record is neither replayed nor overwritten).
    public static func claim(existing record: [UInt8], fingerprint: [UInt8]) -> IdempotencyClaim {
        let parts = record.split(separator: UInt8(ascii: "|"), maxSplits: 2, omittingEmptySubsequences: false)
        let print = Hex.encode(fingerprint)
        switch (parts.first.map(Array.init), parts.count) {
        case ([UInt8(ascii: "p")], 3):
            guard parts[2].count == 64 else { return .unavailable }
            return Array(parts[2]) == Array(print.utf8) ? .inProgress(retryAfterSeconds: 1) : .otherRequest
        case ([UInt8(ascii: "d")], 3):
            guard parts[1].count == 64 else { return .unavailable }
            guard Array(parts[1]) == Array(print.utf8) else { return .otherRequest }
            return StoredAnswer.decode(Array(parts[2])).map { .stored($0) } ?? .unavailable
        default:
            return .unavailable
        }
    }

    static func milliseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return max(1, Int64(min(seconds, 30 * 86_400) * 1000))
    }
}
