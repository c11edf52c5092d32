import Foundation
import Glibc
import Synchronization
import TestSupport

/// `campaign-gateway serve --config PATH` as a child process: what it prints (JSON log lines) captured as it comes,
/// signals, and how and when it exited. Nothing here blocks Swift's cooperative pool: the output is read on a thread
/// of its own and the waits are polls.
final class GatewayChildProcess: Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    typealias Exit = SpawnedProcess.Exit

    let pid: Int32
    let port: Int
    private let child: SpawnedProcess

    /// Starts the gateway; it is not ready yet (see `waitUntilReady`).
    init(configPath: String, port: Int) throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        child = try SpawnedProcess(binary, ["serve", "--config", configPath], environment: ["PATH": "/usr/bin:/bin"])
        pid = child.pid
        self.port = port
    }

    /// Everything the child printed so far.
    var output: String { child.output }

    /// The JSON objects it printed, in order (lines that are not JSON objects are skipped).
    var logLines: [[String: Any]] {
        output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// The lines whose `event` is `name`.
    func events(_ name: String) -> [[String: Any]] {
        logLines.filter { $0["event"] as? String == name }
    }

    var exit: Exit? { child.exit }

    func signal(_ number: Int32) {
        child.signal(number)
    }

    /// Cleanup after a failed test; harmless when the child has exited.
    func killIfRunning() {
        signal(SIGKILL)
    }

    /// Polls until `event` has been logged `count` times. Throws on timeout or when the child exits first.
    /// Each wait below polls on a thread of its own (`OwnThread`), so its deadline is the child's time, not how long
    /// Swift's shared cooperative pool took to resume the test.
    func waitFor(event: String, count: Int = 1, timeoutSeconds: Double = 15) async throws {
        try await OwnThread.run { _ in try await pollFor(event: event, count: count, timeoutSeconds: timeoutSeconds) }
    }

    private func pollFor(event: String, count: Int, timeoutSeconds: Double) async throws {
        let deadline = monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while events(event).count < count {
            if exit != nil && events(event).count < count {
                throw Failure(description: "the gateway exited before logging \(event) x\(count):\n\(output)")
            }
            guard monotonicNanos() < deadline else {
                throw Failure(description: "no \(event) x\(count) within \(timeoutSeconds) s; output:\n\(output)")
            }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    /// Polls until the child has exited; nil when it is still running after `timeoutSeconds`.
    func waitForExit(timeoutSeconds: Double) async -> Exit? {
        await child.waitForExit(timeoutSeconds: timeoutSeconds)
    }

    /// Polls `GET /readyz` until 200. Throws when the child exits first (e.g. `listen_failed`) or on timeout.
    func waitUntilReady(using load: RawHTTPLoad, timeoutSeconds: Double = 30) async throws {
        try await OwnThread.run { _ in try await pollUntilReady(using: load, timeoutSeconds: timeoutSeconds) }
    }

    private func pollUntilReady(using load: RawHTTPLoad, timeoutSeconds: Double) async throws {
        let deadline = monotonicNanos() + UInt64(timeoutSeconds * 1e9)
        while monotonicNanos() < deadline {
            if exit != nil { throw Failure(description: "the gateway exited during start-up:\n\(output)") }
            if await load.exchange(RawHTTPLoad.get("/readyz")).status == 200 { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw Failure(description: "not ready within \(timeoutSeconds) s; output:\n\(output)")
    }
}

/// One blocking loopback connection kept open across steps of a test (e.g. a request head sent in two parts).
/// Blocking calls: use it through `OffPool.run`.
final class HeldConnection: Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }
    let fd: Int32

    init(port: Int, receiveTimeoutSeconds: Int = 15) throws {
        do {
            fd = try LoopbackSocket.connect(port: port, receiveTimeoutSeconds: receiveTimeoutSeconds)
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send errno \(errno)") }
            offset += n
        }
    }

    /// Reads one complete response (`Content-Length` framed) and returns its status and text.
    func readResponse() throws -> (status: Int, text: String) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            if let status = RawHTTPLoad.completeStatus(received) {
                return (status, String(decoding: received, as: UTF8.self))
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else {
                throw Failure(description: n == 0 ? "EOF after \(received.count) bytes" : "recv errno \(errno) after \(received.count) bytes")
            }
            received.append(contentsOf: buffer[0..<n])
        }
    }
}
