#if canImport(Glibc)
import Glibc
#endif
import CProcessArguments

/// Where a process's configuration comes from besides the file: its environment variables and command-line options.
public enum ProcessEnvironment {
    /// The process's environment variables, read from `environ` (no Foundation).
    public static func current() -> [String: String] {
        var variables: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                // The first definition wins, as getenv(3) does.
                if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
            }
            cursor += 1
        }
        return variables
    }

    /// The process's command line, program name first, as the C library handed it to the executable: unlike
    /// `CommandLine.arguments` (which reads `/proc/self/cmdline` on Linux) it does not need `/proc`. Empty only when
    /// neither source has them.
    public static func arguments() -> [String] {
        let count = Int(cgw_process_argc())
        if count > 0, let argv = cgw_process_argv() {
            return (0..<count).map { argv[$0].map { String(cString: $0) } ?? "" }
        }
        return CommandLine.arguments
    }

    /// The value of `--name VALUE` or `--name=VALUE` in `args`, or nil.
    public static func option(_ name: String, in args: [String]) -> String? {
        if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
        for arg in args where arg.hasPrefix(name + "=") { return String(arg.dropFirst(name.count + 1)) }
        return nil
    }

    /// Writes `message` and a newline to standard error, unbuffered, so it is never lost behind buffered stdout.
    public static func printError(_ message: String) {
        let bytes = Array((message + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(2, base + offset, raw.count - offset)
            }
            if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
        }
    }
}
