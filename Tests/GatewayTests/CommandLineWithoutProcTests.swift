import Foundation
import Testing
import TestSupport

/// The binaries read their command line from what the C library hands the executable, not from `/proc/self/cmdline`
/// (Swift's `CommandLine.arguments` on Linux). Without a `/proc` (a process entered into a container's PID namespace
/// but not its mount namespace, as `nsenter --pid` does; a chroot) the latter is empty, and `campaign-gateway reload`
/// started the demo instead: it then listened on 8080 or, living past a second, was killed by libdispatch's thread
/// monitor (which reads `/proc`) with SIGILL. Each case runs the binary in a mount namespace whose `/proc` is an
/// empty tmpfs (`unshare`, as root).
@Suite(.needs("unshare", "mount", "timeout"))
struct CommandLineWithoutProcTests {
    static func runWithoutProc(_ binary: String, _ arguments: [String]) async throws -> ChildProcess.Outcome {
        // `timeout`: a binary that ignored its arguments would start a server and never exit.
        let command = (["mount", "-t", "tmpfs", "none", "/proc", "&&", "exec", "timeout", "10", binary] + arguments).joined(separator: " ")
        return try await ChildProcess.run("unshare", ["--mount", "--propagation", "private", "sh", "-c", command], environment: [:])
    }

    @Test func versionAndReloadKeepTheirArgumentsWithoutProc() async throws {
        guard getuid() == 0 else {
            Issue.record("needs root for a mount namespace (unshare --mount); CI runs as root")
            return
        }
        let gateway = try BinaryLocator.path("campaign-gateway")
        let version = try await Self.runWithoutProc(gateway, ["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("campaign-gateway "), "\(version)")
        let reload = try await Self.runWithoutProc(gateway, ["reload", "--pid", "999999"])
        #expect(reload.status == 1 && reload.error.contains("cannot signal process 999999"), "\(reload)")
        let simulator = try BinaryLocator.path("kore-sim")
        let help = try await Self.runWithoutProc(simulator, ["--help"])
        #expect(help.status == 0 && help.output.contains("kore-sim"), "\(help)")
    }
}
