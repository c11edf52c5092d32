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

    /// The lost-log answer and the replay: an acquire naming a member the log lacks decides nothing (`{-1}`); the
    /// replay adds slots under their members on Redis's clock, keeps the score of a member the log holds, skips a
    /// slot already out of the window, extends a cool-down but never shortens it, and refuses bad arguments. The
    /// cool-down is 30 s so that the redis-cli runs between its steps, slow on a loaded machine, cannot outlast it.
    @Test func theLostLogAnswerAndTheReplayOnRedis() async throws {
        let outcome = try await OffPool.run { () throws -> String? in
            let server = try RedisServerProcess.startBlocking()
            defer { server.stopBlocking() }
            let keys = RedisPacingScript.keys(prefix: "test:", account: "acct-r")
            let policy = PacingPolicy(limit: 5, windowSeconds: 60)
            guard case .integers(let lost) = try Self.run(server, keys, RedisPacingScript.acquireArguments(policy: policy, maxWaitSeconds: 0, member: "m2", expectedMember: "m1")),
                  RedisPacingScript.isLostLog(reply: lost) else { return "a missing member was not reported" }
            guard try server.cli(["EXISTS", keys.log]).output.hasPrefix("0") else { return "the lost-log answer wrote a slot" }

            func replay(_ slots: [RedisPacingReplayScript.Slot], coolDown: Double = 0) throws -> String {
                try server.eval(RedisPacingReplayScript.source, keys: [keys.log, keys.coolDown],
                                arguments: RedisPacingReplayScript.arguments(windowSeconds: 60, coolDownSeconds: coolDown, slots: slots[...]))
                    .output.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let added = try replay([.init(offsetSeconds: -10, member: "m1"), .init(offsetSeconds: -70, member: "gone"),
                                    .init(offsetSeconds: 0.5, member: "ahead")], coolDown: 30)
            guard added == "2" else { return "replay added \(added), not 2 (the slot 70 s back is out of the window)" }
            let before = try server.cli(["ZSCORE", keys.log, "m1"]).output
            guard try replay([.init(offsetSeconds: -5, member: "m1")]) == "0",
                  try server.cli(["ZSCORE", keys.log, "m1"]).output == before else { return "a replayed member was counted twice or moved" }
            guard case .integers(let found) = try Self.run(server, keys, RedisPacingScript.acquireArguments(policy: policy, maxWaitSeconds: 60, member: "m3", expectedMember: "m1")),
                  case .granted(let wait, let quota)? = RedisPacingScript.decision(reply: found, windowSeconds: 60),
                  wait > 15, wait <= 30, quota.remaining == 0,
                  try server.cli(["ZCARD", keys.log]).output.hasPrefix("3") else { return "the replayed cool-down or slots were not counted" }
            guard try replay([], coolDown: 1) == "0",
                  let held = Int(try server.cli(["PTTL", keys.coolDown]).output.trimmingCharacters(in: .whitespacesAndNewlines)), held > 15_000 else {
                return "a shorter replayed cool-down shortened the running one"
            }
            let bad = try server.eval(RedisPacingReplayScript.source, keys: [keys.log, keys.coolDown], arguments: ["60000", "0", "-5"])
            guard (bad.output + bad.error).contains("bad arguments") else { return "an odd argument list was accepted" }
            return nil
        }
        #expect(outcome == nil, "\(outcome ?? "")")
    }
}
