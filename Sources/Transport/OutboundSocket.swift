import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The client side of a TCP connection: a non-blocking `connect` whose completion the caller learns from EPOLLOUT
/// and `SO_ERROR`, so a slow or silent peer never blocks an event loop.
public enum OutboundSocket {
    /// What `connect` did on a non-blocking socket.
    public enum ConnectStart: Sendable, Equatable {
        /// Connected already (common on loopback).
        case connected
        /// EINPROGRESS: wait for writability, then ask `finishConnect`.
        case inProgress
    }

    /// Opens a non-blocking, close-on-exec stream socket for `address` and starts connecting. On failure nothing is
    /// left open.
    public static func connect(to address: SocketAddress) throws(SocketError) -> (fd: Int32, start: ConnectStart) {
        let fd = socket(address.family, CEPOLL_SOCK_STREAM_NONBLOCK_CLOEXEC, 0)
        if fd < 0 { throw SocketError.current("socket") }
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if rc == 0 {
            Syscall.setNoDelay(fd)
            return (fd, .connected)
        }
        let e = Glibc.errno
        // EINTR on a non-blocking connect means the attempt goes on asynchronously, exactly like EINPROGRESS.
        if e == EINPROGRESS || e == EINTR {
            Syscall.setNoDelay(fd)
            return (fd, .inProgress)
        }
        Syscall.close(fd)
        throw SocketError(syscall: "connect", errno: e)
    }

    /// After EPOLLOUT (or EPOLLERR) on a connecting socket: nil when connected, otherwise the pending error.
    public static func finishConnect(_ fd: Int32) -> SocketError? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0 { return SocketError.current("getsockopt") }
        return value == 0 ? nil : SocketError(syscall: "connect", errno: value)
    }

    /// Whether an idle keep-alive connection can still carry a request: the peer has neither closed it nor sent
    /// anything unasked (a late 408, say). A peek without waiting; nothing is consumed.
    public static func isIdleAndOpen(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if n < 0 && Glibc.errno == EINTR { continue }
            return n < 0 && (Glibc.errno == EAGAIN || Glibc.errno == EWOULDBLOCK)
        }
    }
}
