import Foundation
import GatewayCrypto
import TestSupport

/// A redis-server on a Unix socket of its own, without persistence, driven with redis-cli: for proving the Lua
/// scripts and their contracts on a real Redis (not a client: the gateway's Redis client is tested on its own).
final class RedisServer: Sendable {
    let process: SpawnedProcess
    let socket: String
    let directory: String

    /// Starts the server and waits until it answers PING.
    init() throws {
        directory = NSTemporaryDirectory() + "redis-test-" + SecureRandom.hexString(byteCount: 6)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socket = directory + "/redis.sock"
        process = try SpawnedProcess("redis-server", ["--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no",
                                                      "--dir", directory])
        try waitUntilReady()
    }

    func cli(_ arguments: [String]) throws -> ChildProcess.Outcome {
        try ChildProcess.run("redis-cli", ["-s", socket] + arguments)
    }

    /// `EVAL script numkeys keys... arguments...`; redis-cli prints a reply's elements one per line.
    func eval(_ script: String, keys: [String], arguments: [String]) throws -> ChildProcess.Outcome {
        try cli(["EVAL", script, String(keys.count)] + keys + arguments)
    }

    private func waitUntilReady() throws {
        for _ in 0..<200 {
            if (try? cli(["PING"]))?.output.hasPrefix("PONG") == true { return }
            if let exit = process.exit {
                stop()
                throw SpawnedProcess.Failure(description: "redis-server exited (\(exit.status)): \(process.output)")
            }
            usleep(25_000)
        }
        stop()
        throw SpawnedProcess.Failure(description: "redis-server did not answer PING within 5 s: \(process.output)")
    }

    func stop() {
        process.signal(SIGTERM)
        _ = process.waitForExit(timeoutSeconds: 10)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
