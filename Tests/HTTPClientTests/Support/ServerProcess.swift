import Foundation

/// A helper server in a child process (a Python script or tinyproxy) on a loopback port, stopped by `stop()` or at
/// deinit. Scripts print `PORT <n>` first; what reached them they append to `logPath`.
final class ServerProcess: @unchecked Sendable {
    // @unchecked Sendable: the process handle is set in init and only read afterwards.
    let process = Process()
    let port: Int
    let logPath: String

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts").path

    /// `python3 Scripts/<script> <arguments> <logPath>`.
    convenience init(script: String, _ arguments: [String]) throws {
        let log = try Tools.temporaryDirectory("log") + "/server.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        try self.init(executable: try Tools.require("python3"), ["-u", "\(Self.scripts)/\(script)"] + arguments + [log], logPath: log)
    }

    init(executable: String, _ arguments: [String], logPath: String, port knownPort: Int? = nil) throws {
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let knownPort {
            port = knownPort
            return
        }
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            struct NoPort: Error, CustomStringConvertible { var description: String }
            throw NoPort(description: "helper server did not report a port: \(text.debugDescription)")
        }
        self.port = port
    }

    deinit { stop() }

    /// SIGKILL, not SIGTERM: a child started from a thread that blocks every signal inherits that mask, and a
    /// blocked SIGTERM would leave `waitUntilExit` waiting forever.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
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
