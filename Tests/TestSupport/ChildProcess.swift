#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with posix_spawn and pipes, feeding stdin and collecting stdout and stderr.
///
/// Foundation's `Process.run` is avoided on purpose: on Linux it lists `/proc/self/fd` to close inherited
/// descriptors and has crashed test processes holding more than ~1,300 of them (socket tests do). See `Spawn`.
public enum ChildProcess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`. `environment` nil inherits this
    /// process's environment; otherwise the child gets exactly those variables. Throws only when the program cannot
    /// be started.
    public static func run(_ executable: String, _ arguments: [String] = [], input: [UInt8] = [],
                           environment: [String: String]? = nil) throws -> Outcome {
        PoolGuard.check("ChildProcess.run(\(executable))")
        let stdinPipe = try Spawn.pipe(), stdoutPipe = try Spawn.pipe(), stderrPipe = try Spawn.pipe()
        let pid: pid_t
        do {
            pid = try Spawn.start(executable, arguments, environment: environment,
                                  stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            for fd in [stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write] { close(fd) }
            throw Failure(description: "\(error)")
        }
        for fd in [stdinPipe.read, stdoutPipe.write, stderrPipe.write] { close(fd) }
        let (output, error) = exchange(stdin: stdinPipe.write, input: input, stdout: stdoutPipe.read, stderr: stderrPipe.read)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = Spawn.decode(status)
        return Outcome(status: exit.bySignal ? 128 + exit.status : exit.status,
                       output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
    }
    /// The async form: the same run on a thread of its own (`OffPool`), so the test's task waits without holding a
    /// thread of the cooperative pool.
    public static func run(_ executable: String, _ arguments: [String] = [], input: [UInt8] = [],
                           environment: [String: String]? = nil) async throws -> Outcome {
        try await OffPool.run { try run(executable, arguments, input: input, environment: environment) }
    }

    /// Writes stdin and drains stdout and stderr together with poll, so no pipe can fill up and deadlock the child.
    private static func exchange(stdin: Int32, input: [UInt8], stdout: Int32, stderr: Int32) -> ([UInt8], [UInt8]) {
        var output: [UInt8] = [], error: [UInt8] = []
        var written = 0
        var stdinOpen = true
        if input.isEmpty { close(stdin); stdinOpen = false }
        var open: Set<Int32> = [stdout, stderr]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty || stdinOpen {
            var entries = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if stdinOpen { entries.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
            guard poll(&entries, nfds_t(entries.count), -1) >= 0 || errno == EINTR else { break }
            for entry in entries where entry.revents != 0 {
                if entry.fd == stdin {
                    let n = input.withUnsafeBytes { write(stdin, $0.baseAddress! + written, input.count - written) }
                    if n > 0 { written += n }
                    if n < 0 && errno != EINTR && errno != EAGAIN || written == input.count {
                        close(stdin)
                        stdinOpen = false
                    }
                    continue
                }
                let n = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if entry.fd == stdout { output += chunk[0..<n] } else { error += chunk[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(entry.fd)
                    open.remove(entry.fd)
                }
            }
        }
        return (output, error)
    }
}
