import Foundation

/// A real `redis-server` for one test, on a loopback port (a free one unless given), with nothing persisted
/// (`--save '' --appendonly no`) and its files in a temporary directory; SIGKILLed by `stop()` or at deinit.
/// `cli` drives it with `redis-cli` (the Lua scripts are proven that way, independent of the gateway's client).
/// Starting waits for the server's ready line, which blocks: `start` does it off the cooperative pool, and
/// `startBlocking` is for code already running on a thread of its own (`OffPool.run`).
public final class RedisServerProcess: Sendable {
    public let child: SpawnedProcess
    public let port: Int
    public let directory: String
    public let usesTLS: Bool

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `arguments` are added to the command line (users, TLS files, ...). `port` nil: a free one; `tls`: the port
    /// is the TLS port and the plain one is off.
    public static func start(_ arguments: [String] = [], port: Int? = nil, tls: Bool = false) async throws -> RedisServerProcess {
        try await OffPool.run { try startBlocking(arguments, port: port, tls: tls) }
    }

    public static func startBlocking(_ arguments: [String] = [], port: Int? = nil, tls: Bool = false) throws -> RedisServerProcess {
        PoolGuard.check("RedisServerProcess.startBlocking")
        var lastError: any Error = Failure(description: "not started")
        // A free port can be taken between the look-up and the bind: try another.
        for _ in 0..<(port == nil ? 3 : 1) {
            do {
                return try RedisServerProcess(arguments, port: port ?? FreePort.find(), tls: tls)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private init(_ arguments: [String], port: Int, tls: Bool) throws {
        let executable = try Tools.require("redis-server")
        directory = try Tools.temporaryDirectory("redis")
        let ports = tls ? ["--port", "0", "--tls-port", "\(port)"] : ["--port", "\(port)"]
        child = try SpawnedProcess(executable, ports + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                                        "--dir", directory, "--daemonize", "no"] + arguments)
        self.port = port
        usesTLS = tls
        let deadline = Date().addingTimeInterval(20)
        while !child.output.contains("Ready to accept connections") {
            if child.exit != nil || Date() > deadline {
                child.signal(SIGKILL)
                throw Failure(description: "redis-server did not start on port \(port): \(child.output.suffix(2000))")
            }
            usleep(10_000)
        }
    }

    /// The child's waiter thread reaps it: nothing here blocks.
    deinit { child.kill() }

    /// SIGKILL: nothing to save, and the test wants it gone now (a crash or a pulled plug, as far as clients see).
    /// Waits, without holding a pool thread, until the server is gone and its port closed.
    public func stop() async {
        child.kill()
        _ = await child.waitForExit(timeoutSeconds: 10)
    }

    /// `stop` for code on a thread of its own.
    public func stopBlocking() {
        child.kill()
        _ = child.waitForExit(timeoutSeconds: 10)
    }

    public var url: String { "\(usesTLS ? "rediss" : "redis")://127.0.0.1:\(port)" }

    /// `redis-cli` against this server (plain port only). Blocks: call it off the pool.
    public func cli(_ arguments: [String]) throws -> ChildProcess.Outcome {
        try ChildProcess.run(try Tools.require("redis-cli"), ["-h", "127.0.0.1", "-p", String(port)] + arguments)
    }

    /// `cli` without holding a pool thread.
    public func cli(_ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await OffPool.run { try self.cli(arguments) }
    }

    /// `EVAL script numkeys keys... arguments...`; redis-cli prints a reply's elements one per line.
    public func eval(_ script: String, keys: [String], arguments: [String]) throws -> ChildProcess.Outcome {
        try cli(["EVAL", script, String(keys.count)] + keys + arguments)
    }
}
