import Foundation
import TestSupport

/// A helper server in a child process (a Python script or tinyproxy) on a loopback port, started with posix_spawn
/// (TestSupport) and killed by `stop()` or at deinit. Scripts print `PORT <n>` first; what reached them they append
/// to `logPath`.
final class ServerProcess: Sendable {
    let child: SpawnedProcess
    let port: Int
    let logPath: String

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts").path

    struct NoPort: Error, CustomStringConvertible { var description: String }

    /// `python3 Scripts/<script> <arguments> <logPath>`, started off the cooperative pool (waiting for its port
    /// line blocks).
    static func start(script: String, _ arguments: [String]) async throws -> ServerProcess {
        try await OffPool.run { try ServerProcess(script: script, arguments) }
    }

    convenience init(script: String, _ arguments: [String]) throws {
        let log = try Tools.temporaryDirectory("log") + "/server.log"
        try Data().write(to: URL(fileURLWithPath: log))
        try self.init(executable: try Tools.require("python3"), ["-u", "\(Self.scripts)/\(script)"] + arguments + [log], logPath: log)
    }

    init(executable: String, _ arguments: [String], logPath: String, port knownPort: Int? = nil) throws {
        self.logPath = logPath
        child = try SpawnedProcess(executable, arguments)
        if let knownPort {
            port = knownPort
            return
        }
        guard let line = child.line(0), line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            child.signal(SIGKILL)
            throw NoPort(description: "helper server did not report a port: \(child.output.debugDescription)")
        }
        self.port = port
    }

    /// SIGKILL: nothing to flush, and no signal mask of the child's can keep it alive. The child's waiter thread
    /// reaps it, so nothing here blocks.
    deinit { child.kill() }

    /// SIGKILL, then waits (without holding a pool thread) until the child is gone, so its port is closed.
    func stop() async {
        child.kill()
        _ = await child.waitForExit(timeoutSeconds: 10)
    }

    var log: [String] {
        (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    func count(_ prefix: String) -> Int { log.filter { $0.hasPrefix(prefix) }.count }

    /// Waits up to `seconds` for `condition` on the log (the helper writes from its own threads).
    func waitForLog(seconds: Double = 3, _ condition: ([String]) -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition(log) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return condition(log)
    }
}
