import COpenSSL
import Glibc
import Synchronization

/// OpenSSL's default verify paths (the system's CA bundle, or the `SSL_CERT_FILE` and `SSL_CERT_DIR` it names), loaded
/// once per process and shared by every client's context. Decoding the bundle is the expensive part of a TLS context:
/// about 140 certificates through OpenSSL 3's decoders, on the thread that builds the client. Without the cache, each
/// SIGHUP reload paid it again, and a test process building a gateway per test spent most of its CPU there.
///
/// Keyed by the two variables' values when asked, so a process that changes them gets the store they name.
enum SystemTrustStore {
    /// `@unchecked Sendable`: an `X509_STORE` is only read once loaded, and OpenSSL locks it internally for the
    /// verifications that read it from several threads.
    private final class Store: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
    }

    private static let stores = Mutex<[String: Store]>([:])

    /// The store for the current `SSL_CERT_FILE` / `SSL_CERT_DIR`, loading it on first use. Callers that arrive while
    /// it loads wait for it rather than decoding the bundle a second time.
    static func current() throws(TLSContext.SetupError) -> OpaquePointer {
        let key = variable("SSL_CERT_FILE") + "\u{0}" + variable("SSL_CERT_DIR")
        let loaded: Result<OpaquePointer, TLSContext.SetupError> = stores.withLock { stores in
            if let store = stores[key] { return .success(store.pointer) }
            guard let store = X509_STORE_new() else {
                return .failure(TLSContext.SetupError(description: "X509_STORE_new failed: \(TLSContext.errorQueueText())"))
            }
            guard X509_STORE_set_default_paths(store) == 1 else {
                X509_STORE_free(store)
                return .failure(TLSContext.SetupError(description: "cannot load the system trust store: \(TLSContext.errorQueueText())"))
            }
            stores[key] = Store(store)
            return .success(store)
        }
        return try loaded.get()
    }

    private static func variable(_ name: String) -> String {
        getenv(name).map { String(cString: $0) } ?? ""
    }
}
