#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket to `127.0.0.1:port`, the one way the tests' clients open one.
public enum LoopbackSocket {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A connected, blocking, close-on-exec socket with a receive timeout.
    public static func connect(port: Int, host: String = "127.0.0.1", receiveTimeoutSeconds: Int = 5) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket errno \(errno)") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let rc = connect(fd, port: port, host: host)
        guard rc == 0 else {
            let error = errno
            close(fd)
            throw Failure(description: "connect errno \(error)")
        }
        return fd
    }

    /// `connect(2)` of an existing socket (blocking or not) to `host:port`; the raw return code, errno untouched.
    public static func connect(_ fd: Int32, port: Int, host: String = "127.0.0.1") -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
