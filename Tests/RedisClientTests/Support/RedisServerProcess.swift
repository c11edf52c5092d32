import Foundation
import TestSupport

/// A real `redis-server` for one test, on a free loopback port, with nothing persisted (`--save '' --appendonly
/// no`) and its files in a temporary directory; stopped by `stop()` or at deinit. Started off the cooperative pool,
/// since waiting for its ready line blocks.
final class RedisServerProcess: Sendable {
    let child: SpawnedProcess
    let port: Int
    let directory: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// `arguments` are added to the command line (users, TLS, ...). `port` nil: a free one; `tls`: the port is
    /// the TLS port and the plain one is off.
    static func start(_ arguments: [String] = [], port: Int? = nil, tls: Bool = false) async throws -> RedisServerProcess {
        try await OffPool.run {
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
    }

    private init(_ arguments: [String], port: Int, tls: Bool) throws {
        let executable = try Tools.require("redis-server")
        directory = try Tools.temporaryDirectory("redis")
        let ports = tls ? ["--port", "0", "--tls-port", "\(port)"] : ["--port", "\(port)"]
        child = try SpawnedProcess(executable, ports + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                                        "--dir", directory, "--daemonize", "no"] + arguments)
        self.port = port
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
    func stop() async {
        child.kill()
        _ = await child.waitForExit(timeoutSeconds: 10)
    }

    var url: String { "redis://127.0.0.1:\(port)" }
}
