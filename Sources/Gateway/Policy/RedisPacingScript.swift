import GatewayCrypto
import RedisClient

/// The shared pacing store's one round trip: a Lua script that runs `SlidingWindowLog`'s rule inside Redis, on
/// Redis's clock (`TIME`), so every replica draws on one budget per account and no replica's clock matters.
/// A Redis-backed `PacingStore` sends it with `EVALSHA` (loading it after a `NOSCRIPT`), decodes the reply with
/// `decision(reply:)` or `quota(reply:)`, and treats a reply those refuse as Redis being unavailable.
///
/// Contract (`EVALSHA sha 2 log cool mode limit windowMs msArgument member [expectedMember]`):
/// - `KEYS[1]` (`keys(prefix:account:).log`): the account's slots, a sorted set, score = slot time in ms on Redis's
///   clock, one member per call. `KEYS[2]` (`.coolDown`): the time in ms before which no slot is given. Both keys
///   carry the account as one hash tag, so a cluster keeps them on one shard.
/// - `ARGV[1]` mode: `acquire` or `cooldown`. `ARGV[2]` limit (calls per window, at least 1). `ARGV[3]` window in
///   ms. `ARGV[4]`: for `acquire` the longest wait in ms (a slot further away is not reserved); for `cooldown` its
///   length in ms. `ARGV[5]` (acquire): a member name unique to this call (the replica's random id and a counter;
///   a repeated name would overwrite a slot and lose a call from the count). `ARGV[6]` (acquire, optional): the
///   member of the caller's newest slot that should still be in the log; when the log lacks it (Redis restarted
///   empty, was flushed, or evicted the key), nothing is decided and the reply is `{-1}`: the caller puts its slots
///   back (`RedisPacingReplayScript`) and asks again, so calls made before the loss still count.
/// - Reply: six integers `{granted, waitMs, limit, remaining, effectiveWindowMs, slotMs}`: `granted` 1 when a slot
///   was reserved `waitMs` from now, 0 when refused (`waitMs` is then the exact time until the earliest slot, the
///   `Retry-After`); `remaining` and `effectiveWindowMs` are `PacingQuota`'s; `slotMs` the slot on Redis's clock
///   (0 when none was reserved). A cool-down answers `granted` 0 with the quota as it now stands.
/// - Writes: at most one `ZADD` and its `PEXPIRE` (a window after the newest slot: then nothing in the log counts),
///   a `ZREMRANGEBYSCORE` of slots no window ending now can hold, and for a cool-down one `SET ... PX`. A store that
///   evicted these keys would forget calls: Redis must run them under `noeviction` (or on an instance of its own).
///   Redis 7 replicates a script's effects, not the script, so reading `TIME` before writing is allowed.
/// - `TIME` is Redis's wall clock: a step backwards makes slots look later (refusals until it catches up, never
///   more calls); a reply outside a day's worth of milliseconds is refused as broken.
public enum RedisPacingScript {
    public static let source = """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local mode = ARGV[1]
    local limit = tonumber(ARGV[2])
    local window = tonumber(ARGV[3])
    local amount = tonumber(ARGV[4])
    if not limit or not window or not amount or limit < 1 or window <= 0 or amount < 0 then
      return redis.error_reply('ERR pacing script: bad arguments')
    end
    if mode == 'acquire' and ARGV[6] and ARGV[6] ~= '' and not redis.call('ZSCORE', KEYS[1], ARGV[6]) then
      return {-1}
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
    local cool = tonumber(redis.call('GET', KEYS[2])) or 0
    if mode == 'cooldown' and now + amount > cool then
      cool = now + amount
      redis.call('SET', KEYS[2], cool, 'PX', amount + 1000)
    end
    local function nextSlot()
      local slot = math.max(now, cool)
      local count = redis.call('ZCARD', KEYS[1])
      if count > 0 then
        local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        slot = math.max(slot, tonumber(newest[2]))
      end
      if count >= limit then
        local back = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
        slot = math.max(slot, tonumber(back[2]) + window)
      end
      return slot
    end
    local granted, wait, reserved = 0, 0, 0
    if mode == 'acquire' then
      local slot = nextSlot()
      wait = slot - now
      if wait <= amount then
        redis.call('ZADD', KEYS[1], slot, ARGV[5])
        redis.call('PEXPIRE', KEYS[1], wait + window + 1000)
        granted, reserved = 1, slot
      end
    elseif mode ~= 'cooldown' then
      return redis.error_reply('ERR pacing script: mode must be acquire or cooldown')
    end
    local count = redis.call('ZCARD', KEYS[1])
    local remaining = math.max(0, limit - count)
    if cool > now then remaining = 0 end
    local effective = window
    if remaining == 0 then
      effective = nextSlot() - now
    elseif count > 0 then
      local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
      effective = tonumber(oldest[2]) + window - now
    end
    return {granted, wait, limit, remaining, effective, reserved}
    """

    /// The two keys of an account. The hash tag is the account id itself, unless it holds a brace (which would end
    /// the tag early): then its SHA-256 in hex.
    public static func keys(prefix: String, account: String) -> (log: String, coolDown: String) {
        // Bytes, not Characters: String.contains(String) walks grapheme clusters (thousands of instructions per call).
        let braced = account.utf8.contains { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }
        let tag = braced || account.isEmpty ? "sha256-" + Hex.encode(SHA256.hash(Array(account.utf8))) : account
        return (prefix + "pace:{" + tag + "}", prefix + "pace:{" + tag + "}:cool")
    }

    /// ARGV for one `acquire`, as the command's arguments (numbers written straight as decimal bytes: this is built
    /// for every paced call); `expectedMember` adds the check that the caller's newest slot is still in the log.
    public static func acquireCommandArguments(policy: PacingPolicy, maxWaitSeconds: Double, member: String,
                                               expectedMember: String? = nil, checksMember: Bool = false) -> [RedisArgument] {
        var arguments: [RedisArgument] = ["acquire", RedisArgument(Int64(policy.limit)), RedisArgument(milliseconds(policy.windowSeconds)),
                                          RedisArgument(milliseconds(maxWaitSeconds)), RedisArgument(member)]
        if checksMember { arguments.append(RedisArgument(expectedMember ?? "")) }
        return arguments
    }

    /// ARGV for one `acquire`, as text (what redis-cli sends).
    public static func acquireArguments(policy: PacingPolicy, maxWaitSeconds: Double, member: String) -> [String] {
        acquireCommandArguments(policy: policy, maxWaitSeconds: maxWaitSeconds, member: member).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// ARGV for one `acquire` that first checks that `expectedMember` (the caller's newest slot) is still in the log.
    public static func acquireArguments(policy: PacingPolicy, maxWaitSeconds: Double, member: String, expectedMember: String?) -> [String] {
        acquireCommandArguments(policy: policy, maxWaitSeconds: maxWaitSeconds, member: member, expectedMember: expectedMember, checksMember: true)
            .map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// ARGV for one cool-down.
    public static func coolDownArguments(policy: PacingPolicy, seconds: Double) -> [String] {
        ["cooldown", String(policy.limit), String(milliseconds(policy.windowSeconds)), String(milliseconds(seconds))]
    }

    /// Whether an `acquire` reply says the log lost the caller's slots (`{-1}`): replay them, then ask again.
    public static func isLostLog(reply: [Int64]) -> Bool {
        reply == [-1]
    }

    /// The decision in an `acquire` reply; nil for anything but six sane integers (Redis's answer is input too).
    public static func decision(reply: [Int64], windowSeconds: Double) -> PacingDecision? {
        guard let quota = quota(reply: reply, windowSeconds: windowSeconds), reply[0] == 0 || reply[0] == 1,
              reply[1] >= 0, reply[1] <= maxMilliseconds else { return nil }
        let wait = Double(reply[1]) / 1000
        return reply[0] == 1 ? .granted(waitSeconds: wait, quota: quota) : .limited(retryAfterSeconds: wait, quota: quota)
    }

    /// The quota in either reply; nil for anything but six sane integers.
    public static func quota(reply: [Int64], windowSeconds: Double) -> PacingQuota? {
        guard reply.count == 6, reply[2] >= 1, reply[2] <= Int64(Int32.max), reply[3] >= 0, reply[3] <= reply[2],
              reply[4] >= 0, reply[4] <= maxMilliseconds else { return nil }
        return PacingQuota(limit: Int(reply[2]), windowSeconds: windowSeconds, remaining: Int(reply[3]),
                           effectiveWindowSeconds: Double(reply[4]) / 1000)
    }

    /// A day: no wait, window or cool-down the gateway asks for is longer, so a larger number is a broken reply.
    static let maxMilliseconds: Int64 = 86_400_000

    static func milliseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int64(min(seconds, 86_400) * 1000)
    }
}
