import Foundation

/// posix_spawn with the three standard descriptors given, nothing else inherited (every descriptor the tests open
/// is close-on-exec), an empty signal mask and default dispositions whatever thread spawns it: a Dispatch thread
/// blocks every signal, and a mask inherited from it would keep SIGTERM from ever reaching the child.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A pipe whose two ends are close-on-exec (Glibc does not export pipe2).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw Failure(description: "pipe errno \(errno)") }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Starts `executable` (a path, or a name found on PATH) with `stdin`, `stdout` and `stderr` as its descriptors
    /// 0, 1 and 2. `environment` nil inherits this process's environment; otherwise the child gets exactly that.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]?,
                      stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let variables = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// Decodes a `waitpid` status: the exit status, or the signal number when it ended by a signal
    /// (WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import as functions).
    static func decode(_ status: Int32) -> (status: Int32, bySignal: Bool) {
        let signal = status & 0x7F
        return signal == 0 ? ((status >> 8) & 0xFF, false) : (signal, true)
    }
}
