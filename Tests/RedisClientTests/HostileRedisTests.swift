import Foundation
import RedisClient
import TestSupport
import Testing
import Transport

/// Servers that misbehave, over real loopback sockets (a scripted fake server): every answer that is not a RESP2
/// reply, a reply cut short, a size meant to exhaust memory, a closed socket, a server that never answers. Each
/// ends in a typed error with a clear reason, within its deadline, without memory growing past the caps. Also the
/// proof that commands are pipelined: a server that answers only once several commands have arrived.
///
/// Time bounds are generous (the suites run in parallel on two loaded cores): that an error came at once rather than
/// after a deadline is shown by its kind (a waited-out deadline is `.timeout`), not by a stopwatch.
@Suite(.timeLimit(.minutes(2)))
struct HostileRedisTests {
    /// A fake server that answers the first command on each connection with `reply`, then closes if asked.
    static func answering(_ reply: [UInt8], thenClose: Bool = false) throws -> FakeRedisServer {
        try FakeRedisServer { connection in
            _ = connection.readCommands(1)
            connection.write(reply)
            if thenClose { connection.close() } else { _ = connection.read { _ in false } }
        }
    }

    static func send(to server: FakeRedisServer, timeout: Double = 60) async throws -> (Result<RedisReply, RedisError>, Double) {
        let client = try RedisTest.client("redis://127.0.0.1:\(server.port)", timeout: timeout)
        return await RedisTest.timed { await RedisTest.result(client, ["GET", "key"]) }
    }

    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    @Test(arguments: [
        ("HTTP/1.1 400 Bad Request\r\n\r\n", "expected a RESP2 type byte (+ - : $ *), got 0x48 'H'"),
        ("_\r\n", "expected a RESP2 type byte (+ - : $ *), got 0x5F '_'"),
        (":99999999999999999999\r\n", "the integer 99999999999999999999 does not fit in 64 bits"),
        ("$-7\r\n", "a length of -7 (only -1, nil, may be negative)"),
        ("$3\r\nabcdef\r\n", "a bulk string is not followed by CR LF"),
        ("+OK\n", "a line does not end in CR LF (a bare LF, or a CR inside the line)"),
        ("*1000000000\r\n", "the reply's arrays declare 1000000000 elements, over the limit of 65536"),
        (String(repeating: "*1\r\n", count: 50) + ":1\r\n", "arrays nested deeper than 8"),
    ])
    func garbageIsAProtocolViolationWithItsReason(_ reply: String, reason: String) async throws {
        let server = try Self.answering(Array(reply.utf8))
        let (result, seconds) = try await Self.send(to: server)
        #expect(result.failure == .protocolViolation(reason))
        #expect(seconds < 30)
    }

    @Test func aHugeBulkLengthIsRefusedFromItsHeaderWithoutTakingTheMemory() async throws {
        let server = try Self.answering(Array("$1073741824\r\nxxxx".utf8))
        let before = Self.residentBytes()
        let (result, seconds) = try await Self.send(to: server)
        #expect(result.failure == .protocolViolation("a bulk string of 1073741824 bytes, over the limit of 8388608"))
        #expect(seconds < 30)
        // The process's resident size is shared with every suite running beside this one (tens of MiB come and go),
        // so the bound is set against what taking the memory would cost: 1 GiB.
        #expect(Self.residentBytes() - before < 384 << 20)
    }

    @Test func anEndlessLineStopsAtItsCap() async throws {
        // 1 GiB of status line without an end: refused at the 64 KiB cap, not held. The size is what makes the
        // resident-size bound mean something while other suites in this process allocate tens of MiB beside it;
        // once the client has closed, the server's writes fail at once, so little of it is ever sent.
        let server = try FakeRedisServer { connection in
            _ = connection.readCommands(1)
            connection.write("+")
            let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 16)
            for _ in 0..<(1 << 14) { connection.write(chunk) }
            connection.close()
        }
        let before = Self.residentBytes()
        let (result, _) = try await Self.send(to: server)
        #expect(result.failure == .protocolViolation("a line is longer than 65536 bytes"))
        #expect(Self.residentBytes() - before < 384 << 20)
    }

    @Test func aReplyCutShortIsALostConnection() async throws {
        for partial in ["$10\r\nabc", "*2\r\n:1\r\n", "+OK"] {
            let server = try Self.answering(Array(partial.utf8), thenClose: true)
            let (result, _) = try await Self.send(to: server)
            guard case .connectionLost(let detail) = result.failure else { Issue.record("\(partial.debugDescription): \(result)"); continue }
            #expect(detail.contains("closed the connection in the middle of a reply"), "\(detail)")
        }
    }

    @Test func aServerThatClosesWithoutAnsweringIsALostConnection() async throws {
        let server = try FakeRedisServer { connection in
            _ = connection.readCommands(1)
            connection.close()
        }
        let (result, seconds) = try await Self.send(to: server)
        guard case .connectionLost(let detail) = result.failure else { Issue.record("got \(result)"); return }
        #expect(detail == "Redis at 127.0.0.1:\(server.port) closed the connection")
        #expect(seconds < 30)
    }

    @Test func nothingListeningIsUnavailable() async throws {
        let port = try FreePort.find()
        let client = try RedisTest.client("redis://127.0.0.1:\(port)", timeout: 60)
        let result = await RedisTest.result(client, ["PING"])
        guard case .unavailable(let detail) = result.failure else { Issue.record("got \(result)"); return }
        #expect(detail.contains("cannot connect to Redis at 127.0.0.1:\(port)") && detail.contains("Connection refused"), "\(detail)")
    }

    @Test func aServerThatNeverAnswersCostsOneTimeoutThenFailsFast() async throws {
        let server = try FakeRedisServer(accepting: false)
        let client = try RedisTest.client("redis://127.0.0.1:\(server.port)", timeout: 0.2) {
            // Long enough that the three commands below always fall inside it, however loaded the machine.
            $0.reconnect = .init(minimumSeconds: 60, maximumSeconds: 60)
        }
        let (first, seconds) = await RedisTest.timed { await RedisTest.result(client, ["SET", "k", "v"]) }
        #expect(first.failure == .timeout(seconds: 0.2))
        #expect(seconds >= 0.2 && seconds < 30, "timed out after \(seconds) s")
        // The next commands do not wait for the silent server again until the backoff delay (60 s) has passed:
        // refused as unavailable, not timed out.
        for _ in 0..<3 {
            let next = await RedisTest.result(client, ["GET", "k"])
            guard case .unavailable(let detail) = next.failure else { Issue.record("got \(next)"); return }
            #expect(detail.contains("a command on it timed out after 0.2 s") && detail.contains("next attempt in"), "\(detail)")
        }
    }

    @Test func eachCommandKeepsItsOwnTimeoutWhetherWrittenOrStillWaiting() async throws {
        let server = try FakeRedisServer(accepting: false)
        let client = try RedisTest.client("redis://127.0.0.1:\(server.port)", timeout: 120)
        // Written to a silent server: a 120 s command first, then a 0.3 s one. The short one times out on its own
        // time; the connection is then given up, and the long one with it.
        async let long = RedisTest.timed { await RedisTest.result(client, ["GET", "long"]) }
        try await Task.sleep(nanoseconds: 50_000_000)
        let (short, shortSeconds) = await RedisTest.timed { await RedisTest.result(client, ["GET", "short"], timeout: 0.3) }
        #expect(short.failure == .timeout(seconds: 0.3))
        #expect(shortSeconds >= 0.3 && shortSeconds < 60, "the 0.3 s command ended after \(shortSeconds) s")
        let (longResult, longSeconds) = await long
        guard case .connectionLost(let detail) = longResult.failure else { Issue.record("the long command: \(longResult)"); return }
        #expect(detail.contains("a command on it timed out after 0.3 s"), "\(detail)")
        #expect(longSeconds < 60, "the long command ended after \(longSeconds) s")
        // Not yet written: with a password, commands wait for the AUTH reply a silent server never sends.
        let authenticating = try RedisTest.client("redis://127.0.0.1:\(server.port)", password: "p", timeout: 0.3) {
            $0.connectTimeoutSeconds = 120
        }
        let (waiting, waitingSeconds) = await RedisTest.timed { await RedisTest.result(authenticating, ["PING"]) }
        #expect(waiting.failure == .timeout(seconds: 0.3))
        #expect(waitingSeconds >= 0.3 && waitingSeconds < 60, "ended after \(waitingSeconds) s")
    }

    @Test func severalCommandsAreInFlightAtOnceAndRepliesGoToTheirCallers() async throws {
        // After a first PING (so the connection is open and idle), the server answers nothing until five more
        // commands have arrived, then answers each ECHO with its argument, in order: a client that waited for each
        // reply before sending the next would never see an answer.
        let server = try FakeRedisServer { connection in
            _ = connection.readCommands(1)
            connection.write("+PONG\r\n")
            let received = connection.readCommands(5)
            var replies: [UInt8] = []
            for argument in Self.echoArguments(received) {
                replies += Array("$\(argument.count)\r\n".utf8) + argument + Array("\r\n".utf8)
            }
            connection.write(replies)
            _ = connection.read { _ in false }
        }
        let client = try RedisTest.client("redis://127.0.0.1:\(server.port)", timeout: 5)
        #expect(try await client.send(["PING"]) == .simpleString("PONG"))
        let answers = try await withThrowingTaskGroup(of: (Int, RedisReply).self) { group in
            for caller in 0..<5 {
                group.addTask { (caller, try await client.send(["ECHO", RedisArgument("caller \(caller)")])) }
            }
            return try await group.reduce(into: [Int: RedisReply]()) { $0[$1.0] = $1.1 }
        }
        for caller in 0..<5 {
            #expect(answers[caller] == .bulkString(Array("caller \(caller)".utf8)))
        }
        #expect(server.connections == 1)
    }

    @Test func aProtocolViolationClosesTheConnectionAndALaterCommandGetsANewOne() async throws {
        let server = try FakeRedisServer { connection in
            while true {
                let received = connection.readCommands(1)
                if received.isEmpty { return }
                // The first connection answers garbage; later ones answer properly.
                connection.write(Self.echoArguments(received).first == Array("bad".utf8) ? "!!\r\n" : "+PONG\r\n")
            }
        }
        let client = try RedisTest.client("redis://127.0.0.1:\(server.port)")
        let bad = await RedisTest.result(client, ["ECHO", "bad"])
        guard case .protocolViolation = bad.failure else { Issue.record("got \(bad)"); return }
        // A server that sent garbage is tried again after the backoff delay (20 ms here).
        #expect(try await RedisServerTests.eventually { try await client.send(["PING"]) } == .simpleString("PONG"))
        #expect(server.connections == 2)
    }

    /// The second argument of each `ECHO` command in `bytes`.
    static func echoArguments(_ bytes: [UInt8]) -> [[UInt8]] {
        var arguments: [[UInt8]] = []
        var index = 0
        // Each command is *2\r\n$4\r\nECHO\r\n$<n>\r\n<arg>\r\n.
        while index < bytes.count, bytes[index] == UInt8(ascii: "*") {
            guard let header = bytes[index...].firstRange(of: Array("ECHO\r\n$".utf8)) else { break }
            var cursor = header.upperBound
            var length = 0
            while bytes[cursor] != 13 {
                length = length * 10 + Int(bytes[cursor] - 48)
                cursor += 1
            }
            cursor += 2
            arguments.append(Array(bytes[cursor..<(cursor + length)]))
            index = cursor + length + 2
        }
        return arguments
    }
}
