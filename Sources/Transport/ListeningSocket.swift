import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening, non-blocking TCP socket.
public struct ListeningSocket: Sendable {
    public let fd: Int32
    /// The port actually bound (useful with port 0).
    public let port: Int

    /// socket + SO_REUSEADDR + bind + listen. Throws the failing syscall and errno (e.g. `bind`, EADDRINUSE).
    public init(host: String, port: Int, backlog: Int32 = 4096) throws(SocketError) {
        let address = try SocketAddress(host: host, port: port)
        let fd = socket(address.family, CEPOLL_SOCK_STREAM_NONBLOCK_CLOEXEC, 0)
        if fd < 0 { throw SocketError.current("socket") }
        do throws(SocketError) {
            // Restarting the server must not wait out TIME_WAIT on the port.
            try Syscall.setIntOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            var storage = address.storage
            let rc = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, address.length) }
            }
            if rc != 0 { throw SocketError.current("bind") }
            if listen(fd, backlog) != 0 { throw SocketError.current("listen") }
            var bound = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let got = withUnsafeMutablePointer(to: &bound) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            if got != 0 { throw SocketError.current("getsockname") }
            self.port = SocketAddress(storage: bound, length: length).port
        } catch {
            Syscall.close(fd)
            throw error
        }
        self.fd = fd
    }

    /// One accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC; nil when no connection is waiting. EINTR is retried.
    public func accept() throws(SocketError) -> (fd: Int32, peer: SocketAddress)? {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    cepoll_accept4(fd, $0, &length, CEPOLL_NONBLOCK_CLOEXEC)
                }
            }
            if client >= 0 { return (client, SocketAddress(storage: storage, length: length)) }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return nil }
            throw SocketError(syscall: "accept4", errno: e)
        }
    }
}
