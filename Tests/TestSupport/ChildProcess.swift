#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with posix_spawn and pipes, feeding stdin and collecting stdout and stderr.
///
/// Foundation's `Process.run` is avoided on purpose: on Linux it lists `/proc/self/fd` to close inherited
/// descriptors and has crashed test processes holding more than ~1,300 of them (socket tests do). Here every pipe
/// end is close-on-exec and the child gets only its three standard descriptors.
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
        var stdinPipe: [Int32] = [-1, -1], stdoutPipe: [Int32] = [-1, -1], stderrPipe: [Int32] = [-1, -1]
        for index in 0..<3 {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw Failure(description: "pipe errno \(errno)") }
            // Close-on-exec, so no other test's child inherits these ends (Glibc does not export pipe2).
            for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            switch index {
            case 0: stdinPipe = ends
            case 1: stdoutPipe = ends
            default: stderrPipe = ends
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

        let variables = environment ?? currentEnvironment()
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, envp)
        for fd in [stdinPipe[0], stdoutPipe[1], stderrPipe[1]] { close(fd) }
        guard spawned == 0 else {
            for fd in [stdinPipe[1], stdoutPipe[0], stderrPipe[0]] { close(fd) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        let (output, error) = exchange(stdin: stdinPipe[1], input: input, stdout: stdoutPipe[0], stderr: stderrPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: exitStatus, output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
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

    private static func currentEnvironment() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "="), variables[String(text[..<equals])] == nil {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return variables
    }
}
