import Foundation
import Synchronization

/// A child process that runs alongside the test: its stdin a pipe the test writes (closing it is a lifeline the
/// child can watch), its stdout and stderr captured together as they come, its exit recorded the moment it happens.
/// Started through `Spawn` (posix_spawn), not Foundation's `Process.run`.
public final class SpawnedProcess: Sendable {
    public struct Exit: Sendable {
        /// The exit status, or the signal number when `bySignal`.
        public var status: Int32
        public var bySignal: Bool
        /// Monotonic nanoseconds when the exit was seen.
        public var at: UInt64
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Shared with the reader and waiter threads, which outlive nothing but may run after `init` returns.
    private final class Observed: Sendable {
        let input: Mutex<Int32>
        let captured = Mutex<[UInt8]>([])
        let exited = Mutex<Exit?>(nil)
        /// The reader saw end of file: everything the child wrote is in `captured`.
        let outputEnded = Mutex(false)
        init(input: Int32) { self.input = Mutex(input) }
    }

    public let pid: pid_t
    private let observed: Observed

    /// Starts `executable` (a path, or a name found on PATH). `environment` nil inherits this process's
    /// environment; otherwise the child gets exactly those variables.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let inPipe = try Spawn.pipe(), outPipe = try Spawn.pipe()
        let child: pid_t
        do {
            child = try Spawn.start(executable, arguments, environment: environment,
                                    stdin: inPipe.read, stdout: outPipe.write, stderr: outPipe.write)
        } catch {
            for fd in [inPipe.read, inPipe.write, outPipe.read, outPipe.write] { close(fd) }
            throw Failure(description: "\(error)")
        }
        close(inPipe.read)
        close(outPipe.write)
        pid = child
        let observed = Observed(input: inPipe.write)
        self.observed = observed
        let readEnd = outPipe.read
        let spawnedPid = child
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if n > 0 {
                    observed.captured.withLock { $0.append(contentsOf: buffer[0..<n]) }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(readEnd)
            observed.outputEnded.withLock { $0 = true }
        }
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(spawnedPid, &status, 0) < 0 && errno == EINTR {}
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let decoded = Spawn.decode(status)
            let exit = Exit(status: decoded.status, bySignal: decoded.bySignal,
                            at: UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec))
            // The exit is published once the reader has drained the pipe, so a test that reads `output` after
            // `waitForExit` sees the child's last lines: on a busy machine the reader thread can lag the exit.
            // Bounded, as a grandchild that inherited the pipe could hold it open.
            for _ in 0..<2_000 where !observed.outputEnded.withLock({ $0 }) { usleep(1_000) }
            observed.exited.withLock { $0 = exit }
        }
    }

    /// Everything the child printed so far (stdout and stderr interleaved as written).
    public var output: String { String(decoding: observed.captured.withLock { $0 }, as: UTF8.self) }

    /// The exit, once it happened.
    public var exit: Exit? { observed.exited.withLock { $0 } }

    /// Sends `number` unless the child has already exited (its pid could then belong to another process).
    public func signal(_ number: Int32) {
        guard exit == nil else { return }
        Glibc.kill(pid, number)
    }

    /// Writes to the child's stdin.
    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        observed.input.withLock { fd in
            guard fd >= 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    /// Closes the child's stdin (it reads EOF). Idempotent.
    public func closeInput() {
        observed.input.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    /// Waits (blocking, polling) for the exit; nil when the child still runs after `timeoutSeconds`.
    public func waitForExit(timeoutSeconds: Double = 30) -> Exit? {
        PoolGuard.check("SpawnedProcess.waitForExit")
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if let exit { return exit }
            usleep(5_000)
        }
        return exit
    }

    /// Line `index` (0-based) of the output, waiting up to `timeoutSeconds` for it to be complete.
    public func line(_ index: Int, timeoutSeconds: Double = 20) -> String? {
        PoolGuard.check("SpawnedProcess.line")
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            if let line = completeLine(index) { return line }
            if exit != nil || Date() >= deadline { return completeLine(index) }
            usleep(5_000)
        }
    }

    private func completeLine(_ index: Int) -> String? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        // The last element is the unterminated rest; only complete lines count.
        return lines.count - 1 > index ? String(lines[index]) : nil
    }

    /// The async forms of `waitForExit` and `line`: they poll with `Task.sleep`, so a test waiting for a child holds
    /// none of the cooperative pool's threads.
    /// Both resume on a thread of their own (`OwnThread`), so a busy pool cannot use up their deadline.
    public func waitForExit(timeoutSeconds: Double = 30) async -> Exit? {
        (try? await OwnThread.run { _ in
            let deadline = Date().addingTimeInterval(timeoutSeconds)
            while Date() < deadline {
                if let exit { return exit }
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
            return exit
        }) ?? exit
    }

    public func line(_ index: Int, timeoutSeconds: Double = 20) async -> String? {
        (try? await OwnThread.run { _ in
            let deadline = Date().addingTimeInterval(timeoutSeconds)
            while true {
                if let line = completeLine(index) { return line }
                if exit != nil || Date() >= deadline { return completeLine(index) }
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
        }) ?? completeLine(index)
    }

    /// SIGKILL without waiting: the waiter thread reaps the child, so nothing needs to block for it.
    public func kill() { signal(SIGKILL) }

    deinit {
        closeInput()
    }
}
