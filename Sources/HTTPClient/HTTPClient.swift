import ClientTLS
import Synchronization
import Transport

/// An HTTP/1.1 client on event loops. A request runs on the loop of the calling thread when there is one (a
/// server handler running on its connection's loop), so an upstream call costs no thread hop; elsewhere it runs on
/// a loop the client starts for itself. Each loop keeps its own keep-alive pool per origin.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        /// Connections per loop and origin (establishing, busy and idle together). High enough that 2,000 calls in
        /// flight to a slow upstream on two loops do not queue behind the cap; low enough that a stuck upstream
        /// cannot take every descriptor. Idle ones close after `idleTimeoutSeconds`.
        public var maxConnectionsPerHost: Int = 1024
        /// Requests queued per loop and origin when every connection is busy; beyond, `.unavailable`.
        public var maxWaitingPerHost: Int = 4096
        /// An idle pooled connection is closed after this long (below common server keep-alive timeouts).
        public var idleTimeoutSeconds: Double = 15
        /// A TCP connect that takes longer fails over to the next address, then counts as `.unavailable`.
        public var connectTimeoutSeconds: Double = 5
        public var limits = HTTPResponseParser.Limits()
        /// PEM bundle replacing the system trust store.
        public var caFile: String?
        public var proxy: ProxySettings = .none

        public init() {}
    }

    /// What every loop's state shares.
    final class Shared: Sendable {
        let configuration: Configuration
        let resolver: NameResolver
        /// Made on first need: decoding the trust store (about 140 certificates) costs tens of milliseconds and about
        /// a mebibyte that a client of http origins only (a sidecar originating TLS, a test) never uses.
        private let tls = Mutex<Result<TLSContext, TLSContext.SetupError>?>(nil)

        init(configuration: Configuration, resolver: NameResolver) {
            self.configuration = configuration
            self.resolver = resolver
        }

        /// The TLS context, made now if no one asked before. A setup failure is kept: it is the CA file or the
        /// system's store, which a retry per request would not mend.
        func tlsContext() -> Result<TLSContext, TLSContext.SetupError> {
            tls.withLock { slot in
                if let made = slot { return made }
                let made: Result<TLSContext, TLSContext.SetupError>
                do throws(TLSContext.SetupError) {
                    made = .success(try TLSContext(caFile: configuration.caFile, alpn: ["http/1.1"]))
                } catch {
                    made = .failure(error)
                }
                slot = made
                return made
            }
        }
    }

    let shared: Shared
    /// Each loop's pools; their idle connections close when the client goes away.
    private let loops: PerLoopState<ClientLoop>

    public init(configuration: Configuration = Configuration(), resolver: NameResolver = .shared) {
        // OpenSSL writes with send() and no MSG_NOSIGNAL: a peer gone mid-write must be EPIPE, not a killed process.
        ignoreSIGPIPE()
        let shared = Shared(configuration: configuration, resolver: resolver)
        self.shared = shared
        loops = PerLoopState(ownLoopName: "http-client") { loop in
            ClientLoop(loop: loop, shared: shared)
        } close: { state, onItsLoop in
            state.closeIdle(loopRunning: onItsLoop)
        }
    }

    /// Whether a request ever came from off every event loop, so that the client started a loop of its own.
    public var startedOwnLoop: Bool { loops.startedOwnLoop }

    /// Makes the TLS context if it is not made yet, and says why https requests will fail (the CA file could not be
    /// read, say), or nil when TLS is ready. A client that is never asked makes its context on its first https
    /// connection instead, on that connection's loop: ask first, off the loops, when https origins are expected.
    public func prepareTLS() -> String? {
        switch shared.tlsContext() {
        case .success: nil
        case .failure(let error): error.description
        }
    }

    /// Sends `request` and reads the whole answer within `timeoutSeconds` (connecting included). Runs on the
    /// caller's executor (`nonisolated(nonsending)`): a handler on its loop's executor starts the exchange there
    /// without switching executors first.
    nonisolated(nonsending) public func execute(_ request: HTTPClientRequest, timeoutSeconds: Double) async -> Result<HTTPClientResponse, HTTPClientError> {
        let found: (loop: EventLoop, state: ClientLoop)?
        do throws(SocketError) {
            found = try loops.forCallingThread()
        } catch {
            return .failure(.unavailable("the client's event loop cannot start: \(error)"))
        }
        // The table is never closed: a client's loops live as long as the client.
        guard let (loop, state) = found else { return .failure(.unavailable("the client is shut down")) }
        // Unsafe rather than checked: `Exchange` resumes it exactly once (`finish` takes it first), and the
        // checked kind allocates a box per request to verify what that guarantees.
        return await withUnsafeContinuation { (continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) in
            if loop.isInEventLoop {
                Self.start(request, timeoutSeconds: timeoutSeconds, on: state, continuation)
            } else if !loop.execute({ Self.start(request, timeoutSeconds: timeoutSeconds, on: state, continuation) }) {
                continuation.resume(returning: .failure(.unavailable("the event loop has stopped")))
            }
        }
    }

    private static func start(_ request: HTTPClientRequest, timeoutSeconds: Double, on state: ClientLoop,
                              _ continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) {
        let proxy = state.shared.configuration.proxy.proxy(for: request.target)
        guard let bytes = HTTPRequestEncoder.encode(request) else {
            let what = request.target.isWritable ? "a method or header" : "a target (host, port or path)"
            return continuation.resume(returning: .failure(.unavailable("the request has \(what) that is not valid HTTP")))
        }
        let exchange = Exchange(request: request, pool: state.pool(for: PoolKey(target: request.target, proxy: proxy)),
                                bytes: bytes, owner: state, continuation: continuation)
        exchange.start(timeoutSeconds: timeoutSeconds)
    }
}
