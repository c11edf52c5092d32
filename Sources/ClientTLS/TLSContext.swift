import COpenSSL

/// A client's TLS settings in one OpenSSL `SSL_CTX`: TLS 1.2 or newer, the peer's chain verified against the
/// system's store (OpenSSL's default verify paths, so `SSL_CERT_FILE` and `SSL_CERT_DIR` work as for any OpenSSL
/// program) or a configured CA bundle, the protocols offered by ALPN (the HTTP client's `http/1.1`, none for Redis),
/// no renegotiation, a client session cache for resumption.
///
/// `@unchecked Sendable`: the context is configured in `init` and only read afterwards; OpenSSL locks an `SSL_CTX`
/// internally when connections are created from several threads.
public final class TLSContext: @unchecked Sendable {
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let context: OpaquePointer

    /// `caFile`: a PEM bundle that replaces the system store. `alpn`: the protocol names offered, in order of
    /// preference (none: no ALPN extension).
    public init(caFile: String? = nil, alpn: [String] = []) throws(SetupError) {
        guard let method = TLS_client_method(), let ctx = SSL_CTX_new(method) else {
            throw SetupError(description: "SSL_CTX_new failed: \(TLSContext.errorQueueText())")
        }
        context = ctx
        guard copenssl_set_min_tls12(ctx) == 1 else {
            throw SetupError(description: "cannot require TLS 1.2: \(TLSContext.errorQueueText())")
        }
        _ = SSL_CTX_set_options(ctx, UInt64(copenssl_op_no_renegotiation()))
        SSL_CTX_set_verify(ctx, Int32(copenssl_verify_peer_mode()), nil)
        if let caFile {
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                throw SetupError(description: "cannot read the CA file \(caFile): \(TLSContext.errorQueueText())")
            }
        } else {
            // SSL_CTX_set1_cert_store takes its own reference; the shared store lives as long as the process.
            SSL_CTX_set1_cert_store(ctx, try SystemTrustStore.current())
        }
        if !alpn.isEmpty {
            // The wire format: each name preceded by its length in one byte.
            var wire: [UInt8] = []
            for name in alpn {
                let bytes = Array(name.utf8)
                guard (1...255).contains(bytes.count) else { throw SetupError(description: "ALPN name of \(bytes.count) bytes") }
                wire.append(UInt8(bytes.count))
                wire += bytes
            }
            // SSL_CTX_set_alpn_protos returns 0 on success, unlike most of OpenSSL.
            guard SSL_CTX_set_alpn_protos(ctx, wire, UInt32(wire.count)) == 0 else {
                throw SetupError(description: "cannot set ALPN: \(TLSContext.errorQueueText())")
            }
        }
        _ = copenssl_set_session_cache_client(ctx)
        _ = copenssl_set_write_modes(ctx)
    }

    deinit { SSL_CTX_free(context) }

    /// The thread's OpenSSL error queue as text (emptied), or "no detail".
    public static func errorQueueText() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            // "error:0A000086:SSL routines::certificate verify failed": the part after the last colons is the reason.
            let text = String(decoding: bytes, as: UTF8.self)
            parts.append(String(text.split(separator: ":", omittingEmptySubsequences: false).last ?? Substring(text)))
            if parts.count >= 4 { ERR_clear_error(); break }
        }
        return parts.isEmpty ? "no detail" : parts.joined(separator: "; ")
    }
}
