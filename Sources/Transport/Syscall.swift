import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The one wrapper around the system calls the transport uses. Every call retries EINTR; EAGAIN becomes
/// `.wouldBlock`; a zero-byte read is EOF before errno is consulted (a stale errno once left FlyingFox
/// connections in CLOSE_WAIT).
public enum Syscall {
    /// Reads into `buffer`. Never returns `.processed(0)`.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .processed(n) }
            if n == 0 { return .endOfFile }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            throw SocketError(syscall: "read", errno: e)
        }
    }

    /// Sends with MSG_NOSIGNAL so a vanished peer yields EPIPE instead of killing the process.
    public static func send(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SocketError) -> IOResult {
        if buffer.isEmpty { return .processed(0) }
        while true {
            let n = Glibc.send(fd, buffer.baseAddress, buffer.count, CEPOLL_MSG_NOSIGNAL)
            if n >= 0 { return .processed(n) }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            throw SocketError(syscall: "send", errno: e)
        }
    }

    /// Gathers up to two buffers into one sendmsg(2) (writev with MSG_NOSIGNAL): a response head and its body go out
    /// in one system call without being copied into one buffer first. Returns the bytes taken from `first` then
    /// `second`, in order.
    public static func send(_ fd: Int32, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) throws(SocketError) -> IOResult {
        if second.isEmpty { return try send(fd, first) }
        if first.isEmpty { return try send(fd, second) }
        while true {
            let n = withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { iov -> Int in
                iov[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count)
                iov[1] = iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count)
                var message = msghdr()
                message.msg_iov = iov.baseAddress
                message.msg_iovlen = 2
                return Glibc.sendmsg(fd, &message, CEPOLL_MSG_NOSIGNAL)
            }
            if n >= 0 { return .processed(n) }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            throw SocketError(syscall: "sendmsg", errno: e)
        }
    }

    /// Closes `fd`. EINTR is not retried: on Linux the descriptor is released even then, and a retry could close a
    /// reused number. EBADF means we closed twice, which is our bug; it is reported, not hidden.
    public static func close(_ fd: Int32) {
        if Glibc.close(fd) != 0 && Glibc.errno == EBADF {
            TransportLog.error("close(\(fd)) returned EBADF: double close")
        }
    }

    /// shutdown(2) of the sending side; errors (peer already gone) are irrelevant to the caller.
    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    static func epollControl(_ epfd: Int32, _ op: Int32, _ fd: Int32, events: UInt32, data: UInt64) throws(SocketError) {
        while cepoll_ctl(epfd, op, fd, events, data) != 0 {
            let e = Glibc.errno
            if e == EINTR { continue }
            throw SocketError(syscall: "epoll_ctl", errno: e)
        }
    }

    static func epollWait(_ epfd: Int32, into out: UnsafeMutablePointer<cepoll_result>, max: Int32,
                          timeoutMilliseconds: Int32) throws(SocketError) -> Int {
        while true {
            let n = cepoll_wait(epfd, out, max, timeoutMilliseconds)
            if n >= 0 { return Int(n) }
            let e = Glibc.errno
            if e == EINTR { continue }
            throw SocketError(syscall: "epoll_wait", errno: e)
        }
    }

    static func setIntOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SocketError) {
        var v = value
        if setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw SocketError.current("setsockopt")
        }
    }

    /// Disables Nagle on an accepted connection: responses are written whole, so batching only adds latency.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}
