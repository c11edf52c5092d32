import Foundation
@testable import Gateway
import GatewayCrypto
import TestSupport
import Testing

/// `RedisPacingScript` run by a real `redis-server` (sent with `redis-cli`, so this proves the script and its
/// contract, not a client): the any-window rule on Redis's clock over random arrivals, waits within the bound,
/// the cool-down, and an error reply for bad arguments.
@Suite(.needs("redis-server", "redis-cli"), .timeLimit(.minutes(2)))
struct RedisPacingScriptTests {
    enum Reply {
        case integers([Int64])
        case other(String)
    }

    /// One run of the pacing script: the six integers of its reply, or the error text.
    static func run(_ server: RedisServerProcess, _ keys: (log: String, coolDown: String), _ arguments: [String]) throws -> Reply {
        let outcome = try server.eval(RedisPacingScript.source, keys: [keys.log, keys.coolDown], arguments: arguments)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        let numbers = lines.compactMap { Int64($0) }
        return numbers.count == lines.count && !lines.isEmpty ? .integers(numbers) : .other(outcome.output + outcome.error)
    }

    /// Calls at random gaps (bursts included) against a 1-second window of 4: every granted slot, on Redis's clock,
    /// keeps every 1-second window at 4 or fewer; grants wait at most the bound; refusals name a wait beyond it;
    /// slots follow arrival order. Then a cool-down holds the next call.
    @Test func theScriptHoldsTheLimitInAnyWindowOnRedissClock() async throws {
        let outcome = try await OffPool.run { () throws -> String? in
            let server = try RedisServerProcess.startBlocking()
            defer { server.stopBlocking() }
            let keys = RedisPacingScript.keys(prefix: "test:", account: "acct-1")
            let policy = PacingPolicy(limit: 4, windowSeconds: 1)
            var random = SeededGenerator(seed: 20_260_515)
            var slots: [Int64] = []
            var refusals = 0
            for call in 0..<48 {
                let maxWait: Double = [0, 0, 0.3][random.below(3)]
                switch try Self.run(server, keys, RedisPacingScript.acquireArguments(policy: policy, maxWaitSeconds: maxWait, member: "m\(call)")) {
                case .other(let text): return "call \(call): \(text)"
                case .integers(let reply):
                    guard let decision = RedisPacingScript.decision(reply: reply, windowSeconds: 1) else { return "call \(call): undecodable \(reply)" }
                    switch decision {
                    case .granted(let wait, _):
                        if wait > maxWait { return "call \(call): waits \(wait) s, more than \(maxWait)" }
                        if let last = slots.last, reply[5] < last { return "call \(call): slot \(reply[5]) before the earlier \(last)" }
                        slots.append(reply[5])
                    case .limited(let retryAfter, let quota):
                        if retryAfter <= maxWait || quota.remaining != 0 { return "call \(call): refused though \(retryAfter) <= \(maxWait)" }
                        refusals += 1
                    }
                }
                if random.below(3) == 0 { usleep(UInt32(random.below(150_000))) }
            }
            let worst = PacingTests.worstWindow(slots.map { Double($0) }, window: 1000)
            if worst > 4 { return "a 1 s window holds \(worst) slots: \(slots)" }
            if refusals == 0 || slots.count < 8 { return "the pattern never filled the window (\(slots.count) slots, \(refusals) refusals)" }

            // A cool-down of 2 s: the next call is refused for about that long (its own clock, not ours).
            let cool = RedisPacingScript.keys(prefix: "test:", account: "acct-2")
            guard case .integers(let coolReply) = try Self.run(server, cool, RedisPacingScript.coolDownArguments(policy: policy, seconds: 2)),
                  let coolQuota = RedisPacingScript.quota(reply: coolReply, windowSeconds: 1),
                  coolQuota.remaining == 0, coolQuota.effectiveWindowSeconds > 1.9 else { return "cool-down reply not as documented" }
            guard case .integers(let held) = try Self.run(server, cool, RedisPacingScript.acquireArguments(policy: policy, maxWaitSeconds: 0, member: "c1")),
                  case .limited(let retryAfter, _)? = RedisPacingScript.decision(reply: held, windowSeconds: 1),
                  retryAfter > 1.5, retryAfter <= 2 else { return "a call during the cool-down was not held" }
            guard case .other(let error) = try Self.run(server, cool, ["acquire", "0", "1000", "0", "x"]), error.contains("bad arguments") else {
                return "a limit of 0 was accepted"
            }
            return nil
        }
        #expect(outcome == nil, "\(outcome ?? "")")
    }
}
