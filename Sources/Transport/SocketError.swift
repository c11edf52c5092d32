#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which one, and the `errno` it left. The one error type of the transport layer.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system call that failed, e.g. `bind`.
    public var syscall: String
    /// The `errno` value the call left.
    public var errno: Int32

    public init(syscall: String, errno: Int32) {
        self.syscall = syscall
        self.errno = errno
    }

    /// Captures the current thread's `errno`; call it right after the failing call, before anything else can overwrite it.
    static func current(_ syscall: String) -> SocketError {
        SocketError(syscall: syscall, errno: Glibc.errno)
    }

    public var description: String {
        let message = strerror(errno).map { String(cString: $0) } ?? "unknown error"
        return "\(syscall) failed: \(message) (errno \(errno))"
    }
}
