import Foundation
import RedisClient
import TestSupport
import Testing
import Transport

/// The client against a real redis-server, one per test on a free loopback port: commands and replies, pipelining,
/// scripts, databases, slow answers and a restart.
@Suite(.needs("redis-server"), .timeLimit(.minutes(2)))
struct RedisServerTests {
    @Test func commandsAndRepliesOfEveryKind() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisTest.client(server.url)
        #expect(try await client.send(["PING"]) == .simpleString("PONG"))
        #expect(try await client.send(["SET", "greeting", "hello"]) == .simpleString("OK"))
        #expect(try await client.send(["GET", "greeting"]) == .bulkString(Array("hello".utf8)))
        #expect(try await client.send(["GET", "missing"]) == .null)
        #expect(try await client.send(["INCRBY", "counter", 41]) == .integer(41))
        #expect(try await client.send(["INCR", "counter"]).integer == 42)
        // Values are bytes: CR LF, NUL and invalid UTF-8 come back exactly.
        let binary: [UInt8] = [0, 13, 10, 0xFF, 0xFE, 36, 42]
        #expect(try await client.send(["SET", "binary", RedisArgument(binary)]) == .simpleString("OK"))
        #expect(try await client.send(["GET", "binary"]) == .bulkString(binary))
        #expect(try await client.send(["RPUSH", "list", "a", "b", "c"]) == .integer(3))
        #expect(try await client.send(["LRANGE", "list", 0, -1]) == .array(["a", "b", "c"].map { .bulkString(Array($0.utf8)) }))
        #expect(try await client.send(["DEL", "greeting", "missing"]) == .integer(1))
        // An error reply is thrown with the server's words.
        let notANumber = await RedisTest.result(client, ["INCR", "list"])
        #expect(notANumber.failure == .server("WRONGTYPE Operation against a key holding the wrong kind of value"))
        #expect(notANumber.failure?.serverErrorCode == "WRONGTYPE")
        #expect(await RedisTest.result(client, ["NOSUCHCOMMAND"]).failure?.serverErrorCode == "ERR")
        // The connection survives error replies.
        #expect(try await client.send(["GET", "counter"]).string == "42")
        #expect(await RedisTest.result(client, []).failure == .invalidCommand("a command needs at least its name"))
    }

    @Test func concurrentCallersSharePipelinedConnectionAndEachGetsItsOwnReply() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisTest.client(server.url)
        let results = try await withThrowingTaskGroup(of: (Int, Int64, Int64, [UInt8]).self) { group in
            for caller in 0..<200 {
                group.addTask {
                    let replies = try await client.pipeline([["INCR", "counter"], ["CLIENT", "ID"], ["ECHO", RedisArgument("caller-\(caller)")]])
                    guard case .integer(let count) = replies[0], case .integer(let id) = replies[1],
                          case .bulkString(let echoed) = replies[2] else {
                        throw RedisError.protocolViolation("unexpected replies \(replies)")
                    }
                    return (caller, count, id, echoed)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.1)) == Set(1...200), "every INCR counted once")
        #expect(Set(results.map(\.2)).count == 1, "one connection carried all 200 callers")
        for (caller, _, _, echoed) in results {
            #expect(echoed == Array("caller-\(caller)".utf8), "caller \(caller) got another caller's reply")
        }
        // A pipeline's replies come back in its order, error replies in their place.
        let replies = try await client.pipeline([["SET", "k", "v"], ["INCR", "k"], ["GET", "k"], ["DEL", "k"], ["GET", "k"]])
        #expect(replies == [.simpleString("OK"), .error("ERR value is not an integer or out of range"),
                            .bulkString(Array("v".utf8)), .integer(1), .null])
        #expect(try await RedisTest.info(client, "clients")["connected_clients"] == "1")
    }

    @Test func scriptsRunByDigestAndFallBackToEvalWhenTheServerLacksThem() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisTest.client(server.url)
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try await client.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(0)]))
        _ = try await client.send(["CONFIG", "RESETSTAT"])
        #expect(try await client.evalScript(script, keys: ["total"], args: [5]) == .integer(5))
        #expect(try await client.send(["SCRIPT", "EXISTS", RedisArgument(script.sha1)]) == .array([.integer(1)]),
                "EVAL cached the script under the digest the client computed")
        #expect(try await client.evalScript(script, keys: ["total"], args: [10]) == .integer(15))
        var stats = try await RedisTest.info(client, "commandstats")
        #expect(stats["cmdstat_eval"]?.hasPrefix("calls=1,") == true, "\(stats)")
        // Two EVALSHA: the first answered NOSCRIPT, the second ran.
        #expect(stats["cmdstat_evalsha"]?.hasPrefix("calls=2,") == true, "\(stats)")
        #expect(stats["cmdstat_evalsha"]?.contains("failed_calls=1") == true, "\(stats)")
        // A flushed (or restarted) server: NOSCRIPT again, and EVAL again.
        _ = try await client.send(["SCRIPT", "FLUSH"])
        #expect(try await client.evalScript(script, keys: ["total"], args: [1]) == .integer(16))
        stats = try await RedisTest.info(client, "commandstats")
        #expect(stats["cmdstat_eval"]?.hasPrefix("calls=2,") == true, "\(stats)")
        // A script's own error is thrown as the server's error.
        let failing = RedisScript("return redis.error_reply('LIMIT window is full')")
        let error = await #expect(throws: RedisError.self) { try await client.evalScript(failing) }
        #expect(error == .server("LIMIT window is full"))
        // Several keys and arguments, and an array answer.
        let echo = RedisScript("return {KEYS[1], KEYS[2], ARGV[1]}")
        #expect(try await client.evalScript(echo, keys: ["a", "b"], args: ["c"]) == .array(["a", "b", "c"].map { .bulkString(Array($0.utf8)) }))
    }

    @Test func theURLsDatabaseIsSelectedOnEveryConnection() async throws {
        let server = try await RedisServerProcess.start()
        let three = try RedisTest.client(server.url + "/3")
        let zero = try RedisTest.client(server.url + "/0")
        #expect(try await three.send(["SET", "where", "db3"]) == .simpleString("OK"))
        #expect(try await zero.send(["GET", "where"]) == .null)
        #expect(try await three.send(["GET", "where"]).string == "db3")
        #expect(try await three.send(["CLIENT", "INFO"]).string?.contains(" db=3 ") == true)
        // Still database 3 on a new connection after the server dropped the old one.
        #expect(try await zero.send(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"]) == .integer(1))
        let again = try await Self.eventually { try await three.send(["GET", "where"]) }
        #expect(again.string == "db3")
        // A database the server does not have: a clear refusal, not a silent database 0.
        let missing = try RedisTest.client(server.url + "/99")
        let refused = await RedisTest.result(missing, ["PING"])
        guard case .unavailable(let detail) = refused.failure else { Issue.record("got \(refused)"); return }
        #expect(detail.contains("SELECT 99"), "\(detail)")
        #expect(detail.contains("DB index is out of range"), "\(detail)")
    }

    @Test func aCommandTheServerSitsOnTimesOutAndTheClientRecovers() async throws {
        let server = try await RedisServerProcess.start(["--enable-debug-command", "local"])
        let client = try RedisTest.client(server.url, timeout: 0.25)
        #expect(try await client.send(["PING"]) == .simpleString("PONG"))
        let sleepSent = Date()
        let (stalled, seconds) = await RedisTest.timed { await RedisTest.result(client, ["DEBUG", "SLEEP", "2"]) }
        // A timeout (not the reply, which cannot come before 2 s) shows the deadline fired first.
        #expect(stalled.failure == .timeout(seconds: 0.25))
        #expect(seconds >= 0.25, "timed out after \(seconds) s")
        // Right after: refused at once rather than queued behind a server this slow.
        let next = await RedisTest.result(client, ["PING"])
        if case .unavailable(let detail) = next.failure {
            #expect(detail.contains("timed out") && detail.contains("next attempt in"), "\(detail)")
        } else if case .timeout = next.failure {
            // The backoff delay (at most 0.2 s here) may have passed under load; then the server is still asleep.
        } else if case .success = next, Date().timeIntervalSince(sleepSent) >= 2 {
            // A machine loaded enough to get here only after the 2 s sleep ended: the server is awake again.
        } else {
            Issue.record("right after a timeout: \(next)")
        }
        // Once the server is awake again, commands work on a new connection.
        let recovered = try await Self.eventually(seconds: 30) { try await client.send(["PING"], timeoutSeconds: 1) }
        #expect(recovered == .simpleString("PONG"))
    }

    @Test func theClientReconnectsAfterTheServerRestarts() async throws {
        let first = try await RedisServerProcess.start()
        let port = first.port
        let client = try RedisTest.client(first.url, timeout: 30)
        let script = RedisScript("return redis.call('INCR', KEYS[1])")
        #expect(try await client.evalScript(script, keys: ["n"]) == .integer(1))
        await first.stop()
        // While it is down: errors saying so (not a timeout: nothing waits for a server that is not there).
        for _ in 0..<5 {
            let result = await RedisTest.result(client, ["PING"])
            switch result.failure {
            case .unavailable, .connectionLost: break
            default: Issue.record("while the server is down: \(result)")
            }
        }
        let second = try await RedisServerProcess.start(port: port)
        let pong = try await Self.eventually(seconds: 10) { try await client.send(["PING"]) }
        #expect(pong == .simpleString("PONG"))
        // A new, empty server: the script is run again by EVAL after NOSCRIPT, from a fresh count.
        #expect(try await client.evalScript(script, keys: ["n"]) == .integer(1))
        await second.stop()
    }

    @Test func aCallerOnAnEventLoopUsesThatLoopsConnection() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisTest.client(server.url)
        let loops = try (0..<2).map { index in
            let loop = try EventLoop(name: "redis-test-\(index)")
            try loop.start()
            return loop
        }
        defer { for loop in loops { loop.stop() } }
        var identities: [[Int64]] = []
        for loop in loops {
            let executor = LoopExecutor(loop: loop)
            let ids = try await Task(executorPreference: executor) { () async throws -> [Int64] in
                var ids: [Int64] = []
                for _ in 0..<3 {
                    #expect(EventLoop.current === loop)
                    ids.append(try await client.send(["CLIENT", "ID"]).integer ?? -1)
                }
                return ids
            }.value
            identities.append(ids)
        }
        #expect(Set(identities[0]).count == 1 && Set(identities[1]).count == 1, "\(identities)")
        #expect(identities[0][0] != identities[1][0], "each loop has its own connection: \(identities)")
        #expect(!client.startedOwnLoop, "callers on loops never needed the client's own loop")
    }

    @Test func shutdownFailsLaterCommandsAtOnce() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisTest.client(server.url)
        #expect(try await client.send(["PING"]) == .simpleString("PONG"))
        await client.shutdown()
        let after = await RedisTest.result(client, ["PING"])
        guard case .unavailable = after.failure else { Issue.record("after shutdown: \(after)"); return }
        // Also from a loop that had no connection yet: nothing opens one after the shutdown.
        let loop = try EventLoop(name: "redis-test-late")
        try loop.start()
        defer { loop.stop() }
        let late = await Task(executorPreference: LoopExecutor(loop: loop)) { await RedisTest.result(client, ["PING"]) }.value
        #expect(late.failure == .unavailable("the Redis client is shut down"))
        let clients = try RedisTest.client(server.url)
        #expect(try await RedisTest.info(clients, "clients")["connected_clients"] == "1", "the shut client's connection is closed")
    }

    /// Retries `body` until it succeeds or `seconds` pass, then rethrows its last error.
    static func eventually<T>(seconds: Double = 10, _ body: () async throws -> T) async throws -> T {
        let end = MonotonicInstant.now().adding(seconds: seconds)
        while true {
            do {
                return try await body()
            } catch {
                if MonotonicInstant.now() >= end { throw error }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
        }
    }
}

/// Runs a task's jobs on an event loop's thread, as the HTTP server does for its handlers.
final class LoopExecutor: TaskExecutor {
    let loop: EventLoop
    init(loop: EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
