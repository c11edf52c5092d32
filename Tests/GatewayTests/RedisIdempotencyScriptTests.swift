import Foundation
@testable import Gateway
import TestSupport
import Testing
import GatewayCrypto
import Synchronization

/// `RedisIdempotencyScript` on a real `redis-server` (sent with `redis-cli`): one claim wins, only the holder
/// completes or releases, a completed record is replayed until Redis expires it, and the records read back as the
/// claims the in-process store gives.
@Suite(.needs("redis-server", "redis-cli"), .timeLimit(.minutes(2)))
struct RedisIdempotencyScriptTests {
    static let fingerprint = [UInt8](repeating: 7, count: 32)
    static let other = [UInt8](repeating: 8, count: 32)
    static let answer = StoredAnswer(status: 201, headers: [.init(name: "Location", value: "/campaigns/voice/cd-1")], body: Array("{\"a\":1}".utf8))

    /// The claim a request gets: the script's reply read as the gateway's store would.
    static func claim(_ server: RedisServerProcess, key: String, token: String, fingerprint: [UInt8], leaseSeconds: Double = 30) throws -> IdempotencyClaim? {
        let out = try server.eval(RedisIdempotencyScript.source, keys: [key],
                                  arguments: RedisIdempotencyScript.claimArguments(token: token, fingerprint: fingerprint, leaseSeconds: leaseSeconds)).output
        let lines = out.split(separator: "\n", maxSplits: 1).map(String.init)
        if lines.first == "1" { return .claimed(token: token) }
        guard lines.first == "0", lines.count == 2 else { return nil }
        // redis-cli ends each element with a newline; the record itself holds none.
        return RedisIdempotencyScript.claim(existing: Array(lines[1].utf8.dropLast(lines[1].hasSuffix("\n") ? 1 : 0)), fingerprint: fingerprint)
    }

    static func step(_ server: RedisServerProcess, key: String, _ arguments: [String]) throws -> String {
        try server.eval(RedisIdempotencyScript.source, keys: [key], arguments: arguments).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func claimCompleteReleaseAndExpiryOnRedis() async throws {
        let failure = try await OffPool.run { () throws -> String? in
            let server = try RedisServerProcess.startBlocking()
            defer { server.stopBlocking() }
            let key = RedisIdempotencyScript.key(prefix: "test:", storeKey: String(repeating: "a", count: 64))
            guard try Self.claim(server, key: key, token: "t1", fingerprint: Self.fingerprint) == .claimed(token: "t1") else { return "first claim" }
            guard try Self.claim(server, key: key, token: "t2", fingerprint: Self.fingerprint) == .inProgress(retryAfterSeconds: 1) else { return "second claim" }
            guard try Self.claim(server, key: key, token: "t3", fingerprint: Self.other) == .otherRequest else { return "other request while running" }
            // Only the holder finishes.
            guard try Self.step(server, key: key, RedisIdempotencyScript.releaseArguments(token: "t2")) == "0" else { return "a non-holder released" }
            let complete = RedisIdempotencyScript.completeArguments(token: "t1", answer: Self.answer, ttlSeconds: 1)
            guard try Self.step(server, key: key, RedisIdempotencyScript.completeArguments(token: "t9", answer: Self.answer, ttlSeconds: 60)) == "0" else { return "a non-holder completed" }
            guard try Self.step(server, key: key, complete) == "1" else { return "the holder could not complete" }
            guard try Self.claim(server, key: key, token: "t4", fingerprint: Self.fingerprint) == .stored(Self.answer) else { return "no replay" }
            guard try Self.claim(server, key: key, token: "t5", fingerprint: Self.other) == .otherRequest else { return "other request after" }
            guard try Self.step(server, key: key, complete) == "0" else { return "completed twice" }
            // Redis expires the answer after its TTL (1 s here): the key is free again.
            usleep(1_200_000)
            guard try Self.claim(server, key: key, token: "t6", fingerprint: Self.other) == .claimed(token: "t6") else { return "not expired" }
            guard try Self.step(server, key: key, RedisIdempotencyScript.releaseArguments(token: "t6")) == "1" else { return "the holder could not release" }
            guard try Self.claim(server, key: key, token: "t7", fingerprint: Self.fingerprint) == .claimed(token: "t7") else { return "not free after release" }
            // A lease runs out on Redis's clock too.
            let leased = RedisIdempotencyScript.key(prefix: "test:", storeKey: String(repeating: "b", count: 64))
            _ = try Self.claim(server, key: leased, token: "l1", fingerprint: Self.fingerprint, leaseSeconds: 0.3)
            usleep(500_000)
            guard try Self.claim(server, key: leased, token: "l2", fingerprint: Self.fingerprint) == .claimed(token: "l2") else { return "lease did not run out" }
            guard try Self.step(server, key: leased, ["claim", "", "x", "1"]).contains("bad arguments") else { return "an empty token was accepted" }
            return nil
        }
        #expect(failure == nil, "\(failure ?? "")")
    }

    /// Concurrent claims from many redis-cli processes: exactly one wins.
    @Test func concurrentClaimsOnRedisHaveOneWinner() async throws {
        let winners = try await OffPool.run { () throws -> Int in
            let server = try RedisServerProcess.startBlocking()
            defer { server.stopBlocking() }
            let key = RedisIdempotencyScript.key(prefix: "test:", storeKey: String(repeating: "c", count: 64))
            let results = Mutex<[IdempotencyClaim?]>([])
            DispatchQueue.concurrentPerform(iterations: 16) { index in
                let claim = try? Self.claim(server, key: key, token: "t\(index)", fingerprint: Self.fingerprint)
                results.withLock { $0.append(claim ?? nil) }
            }
            return results.withLock { $0.filter { if case .claimed = $0 { return true } else { return false } }.count }
        }
        #expect(winners == 1)
    }

    @Test func brokenRecordsAreUnavailableNeverReplayedOrOverwritten() {
        let print = Hex.encode(Self.fingerprint)
        for record in ["", "x", "p|t", "d|\(print)|not json", "p|t|short", "d|short|{}", "q|t|\(print)"] {
            #expect(RedisIdempotencyScript.claim(existing: Array(record.utf8), fingerprint: Self.fingerprint) == .unavailable, "\(record)")
        }
        let done = "d|\(print)|" + String(decoding: Self.answer.encoded(), as: UTF8.self)
        #expect(RedisIdempotencyScript.claim(existing: Array(done.utf8), fingerprint: Self.fingerprint) == .stored(Self.answer))
    }
}
