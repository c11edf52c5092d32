/// Puts one replica's own slots back into an account's shared log: after an outage (the calls it granted from its
/// fallback window), or when `RedisPacingScript` answered that the log lost the replica's newest slot (Redis
/// restarted empty or was flushed). Every replica replays only its own slots; together they rebuild the log.
///
/// Contract (`EVALSHA sha 2 log cool windowMs coolDownMs offsetMs member [offsetMs member ...]`):
/// - `KEYS` are `RedisPacingScript.keys`. `ARGV[1]` the window in ms; `ARGV[2]` the replica's cool-down still to
///   run in ms (0: none); then pairs: a slot as its offset in ms from now (negative for a past call, positive for
///   a reservation still ahead) and its member, the name it was granted under.
/// - Slots are added with `ZADD NX` on Redis's clock (`TIME` plus the offset): a slot the log still holds keeps its
///   score, so replaying twice, or replaying slots Redis never lost, counts nothing twice. Slots already outside
///   the window are skipped. The cool-down is extended, never shortened. The log's expiry covers its newest slot.
/// - Reply: the number of slots added.
public enum RedisPacingReplayScript {
    public static let source = """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local window = tonumber(ARGV[1])
    local cool = tonumber(ARGV[2])
    if not window or window <= 0 or not cool or cool < 0 or #ARGV % 2 ~= 0 then
      return redis.error_reply('ERR pacing replay: bad arguments')
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
    local added = 0
    for i = 3, #ARGV, 2 do
      local offset = tonumber(ARGV[i])
      if not offset or offset < -86400000 or offset > 86400000 then
        return redis.error_reply('ERR pacing replay: bad offset')
      end
      local slot = now + offset
      if slot > now - window then
        added = added + redis.call('ZADD', KEYS[1], 'NX', slot, ARGV[i + 1])
      end
    end
    if cool > 0 then
      local held = tonumber(redis.call('GET', KEYS[2])) or 0
      if now + cool > held then
        redis.call('SET', KEYS[2], now + cool, 'PX', cool + 1000)
      end
    end
    local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
    if newest[2] then
      redis.call('PEXPIRE', KEYS[1], math.max(0, tonumber(newest[2]) - now) + window + 1000)
    end
    return added
    """

    /// A slot to put back: when it is (seconds from now, negative in the past) and the member it was granted under.
    public struct Slot: Sendable, Equatable {
        public var offsetSeconds: Double
        public var member: String

        public init(offsetSeconds: Double, member: String) {
            self.offsetSeconds = offsetSeconds
            self.member = member
        }
    }

    /// At most this many slots per command, so one replay never sends an unbounded command.
    public static let maxSlotsPerCommand = 1000

    /// ARGV for one replay of `slots` (at most `maxSlotsPerCommand` of them) and a cool-down of `coolDownSeconds`.
    public static func arguments(windowSeconds: Double, coolDownSeconds: Double, slots: ArraySlice<Slot>) -> [String] {
        var out = [String(RedisPacingScript.milliseconds(windowSeconds)), String(RedisPacingScript.milliseconds(coolDownSeconds))]
        out.reserveCapacity(2 + 2 * slots.count)
        for slot in slots {
            out.append(String(offsetMilliseconds(slot.offsetSeconds)))
            out.append(slot.member)
        }
        return out
    }

    /// Whole milliseconds toward zero, bounded by a day either way.
    static func offsetMilliseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return 0 }
        return Int64(max(-86_400, min(seconds, 86_400)) * 1000)
    }
}
