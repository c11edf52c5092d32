import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// TLS on one connected, non-blocking socket: OpenSSL reads and writes the descriptor itself (`SSL_set_fd`) and
/// says, when it cannot go on, whether it waits for readability or writability; the connection turns that into
/// its epoll interest. Used by the HTTP client and the Redis client alike. Loop-confined, like the connection that
/// owns it.
public final class TLSStream {
    public enum Progress: Equatable {
        case done(Int)
        case wantRead
        case wantWrite
        /// The peer closed the TLS session cleanly (close_notify).
        case closed
        case failed(String)
    }

    let ssl: OpaquePointer
    public let host: String

    /// `host` is checked against the certificate (a DNS name with `SSL_set1_host`, an IP literal against the IP
    /// SANs); a name also goes out as SNI, an IP literal never does (RFC 6066 3).
    public init(context: TLSContext, fd: Int32, host: String, resume session: OpaquePointer?) throws(TLSContext.SetupError) {
        guard let ssl = SSL_new(context.context) else {
            throw TLSContext.SetupError(description: "SSL_new failed: \(TLSContext.errorQueueText())")
        }
        self.ssl = ssl
        self.host = host
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw TLSContext.SetupError(description: "SSL_set_fd failed: \(TLSContext.errorQueueText())")
        }
        if Self.isIPLiteral(host) {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw TLSContext.SetupError(description: "cannot verify against IP \(host)")
            }
        } else {
            SSL_set_hostflags(ssl, UInt32(copenssl_hostflag_no_partial_wildcards()))
            guard SSL_set1_host(ssl, host) == 1, copenssl_set_sni(ssl, host) == 1 else {
                throw TLSContext.SetupError(description: "cannot set the host name \(host): \(TLSContext.errorQueueText())")
            }
        }
        if let session { _ = SSL_set_session(ssl, session) }
    }

    deinit { SSL_free(ssl) }

    /// Sends close_notify, once, without waiting for the peer's. Without it OpenSSL counts the session as cut short
    /// and refuses to resume it. Non-blocking: if the socket cannot take the alert now, it is simply not sent.
    public func closeNotify() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// Decrypted bytes OpenSSL holds that epoll cannot know about.
    public var hasPendingBytes: Bool { SSL_pending(ssl) > 0 }

    public static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    public func handshake() -> Progress {
        ERR_clear_error()
        let rc = SSL_connect(ssl)
        if rc == 1 { return .done(0) }
        return classify(rc, during: "handshake")
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> Progress {
        ERR_clear_error()
        let n = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 { return .done(Int(n)) }
        return classify(n, during: "read")
    }

    public func write(_ buffer: UnsafeRawBufferPointer) -> Progress {
        if buffer.isEmpty { return .done(0) }
        ERR_clear_error()
        let n = SSL_write(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 { return .done(Int(n)) }
        return classify(n, during: "write")
    }

    /// A reference to the session for resuming the next connection to this host (TLS 1.3 tickets arrive after
    /// the handshake, so ask after the first answer was read). Free with `SSL_SESSION_free`.
    public func session() -> OpaquePointer? {
        guard SSL_session_reused(ssl) == 1 || SSL_is_init_finished(ssl) == 1 else { return nil }
        return SSL_get1_session(ssl)
    }

    /// Why a handshake failed, in words an operator can act on: the certificate check's own reason when the chain
    /// or the name did not verify, else OpenSSL's (e.g. "unsupported protocol" for a TLS 1.1-only server).
    private func classify(_ rc: Int32, during step: String) -> Progress {
        let error = SSL_get_error(ssl, rc)
        if error == copenssl_error_want_read() { return .wantRead }
        if error == copenssl_error_want_write() { return .wantWrite }
        if error == copenssl_error_zero_return() { return .closed }
        let verify = SSL_get_verify_result(ssl)
        if step == "handshake", verify != copenssl_verify_ok() {
            let reason = X509_verify_cert_error_string(verify).map { String(cString: $0) } ?? "error \(verify)"
            ERR_clear_error()
            return .failed("certificate of \(host) not verified: \(reason)")
        }
        if error == copenssl_error_syscall() {
            let e = Glibc.errno
            let queued = TLSContext.errorQueueText()
            // errno 0 and nothing queued: the peer closed the TCP connection without close_notify.
            if e == 0 { return .failed("TLS \(step): connection closed by \(host) unexpectedly\(queued == "no detail" ? "" : " (\(queued))")") }
            let message = strerror(e).map { String(cString: $0) } ?? "errno \(e)"
            return .failed("TLS \(step) with \(host): \(message)")
        }
        return .failed("TLS \(step) with \(host) failed: \(TLSContext.errorQueueText())")
    }
}
