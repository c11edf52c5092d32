import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Transport

/// A hand-written HTTP/1.1 server on epoll: non-blocking sockets, one thread per event loop, handlers run as Swift
/// Tasks. See `HTTPServerConfiguration` for limits and timeouts.
public final class HTTPServer: Sendable {
    private struct RunState {
        var started = false
        var shutDown = false
        var port = 0
        var contexts: [LoopContext] = []
        var acceptor: Acceptor?
    }

    private let shared: ServerShared
    private let runState = Mutex(RunState())

    /// - Parameter errorResponder: renders every rejection (parse errors, timeouts, over-capacity); the server then
    ///   adds `Connection: close` and closes after the write.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler,
                errorResponder: @escaping @Sendable (HTTPRejection) -> HTTPResponse) {
        shared = ServerShared(configuration: configuration, handler: handler, errorResponder: errorResponder)
    }

    public var openConnectionCount: Int { shared.counters.openConnections.load(ordering: .relaxed) }
    public var inFlightRequestCount: Int { shared.counters.inFlightRequests.load(ordering: .relaxed) }
    /// The open connections past which new ones are refused (fixed for the server's life).
    public var maxConnections: Int { shared.configuration.maxConnections }

    /// Binds, listens, starts the loop thread(s). Returns the bound port. Throws `SocketError` (syscall + errno),
    /// e.g. `bind` with EADDRINUSE. Calling it again returns the same port.
    public func start() throws -> Int {
        try runState.withLock { state throws -> Int in
            if state.started { return state.port }
            ignoreSIGPIPE()
            let configuration = shared.configuration
            let socket = try ListeningSocket(host: configuration.host, port: configuration.port)
            var contexts: [LoopContext] = []
            var started = 0
            do {
                for index in 0..<max(1, configuration.eventLoopCount) {
                    let loop = try EventLoop(name: "http-loop-\(index)")
                    contexts.append(LoopContext(loop: loop, shared: shared))
                }
                let acceptor = Acceptor(socket: socket, loop: contexts[0].loop,
                                        onAccept: Self.makeAcceptHandler(contexts: contexts, shared: shared))
                // Registered before the loop thread exists, so nothing races the loop-confined registration table
                // and a failure surfaces here rather than as a server that silently never accepts.
                try acceptor.start()
                state.acceptor = acceptor
                for context in contexts {
                    try context.loop.start()
                    started += 1
                }
            } catch {
                state.acceptor = nil
                for context in contexts.prefix(started) { context.loop.stop() }
                Syscall.close(socket.fd)
                throw error
            }
            state.started = true
            state.port = socket.port
            state.contexts = contexts
            return socket.port
        }
    }

    /// Runs on the first loop for every accepted descriptor: applies the cap and spreads connections round-robin.
    private static func makeAcceptHandler(contexts: [LoopContext], shared: ServerShared) -> (Int32, SocketAddress) -> Void {
        var next = 0
        return { fd, peer in
            Syscall.setNoDelay(fd)
            let open = shared.counters.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            // Over the cap the connection is still accepted, so the client gets a clear 503 instead of a hang in
            // the backlog; it is answered and closed at once.
            let rejection: HTTPRejection? = open > shared.configuration.maxConnections ? .tooManyConnections() : nil
            let target = contexts[next % contexts.count]
            next &+= 1
            let address = peer.description
            if target === contexts[0] {
                target.adopt(fd: fd, peer: address, rejection: rejection)
            } else if !target.loop.execute({ target.adopt(fd: fd, peer: address, rejection: rejection) }) {
                Syscall.close(fd)
                shared.counters.openConnections.subtract(1, ordering: .relaxed)
            }
        }
    }

    /// Closes the listening socket (no new connections); existing connections keep being served. Idempotent.
    /// Returns once the socket is closed, so a connect after it fails.
    public func stopAccepting() {
        let taken = runState.withLock { state -> (Acceptor, EventLoop)? in
            guard let acceptor = state.acceptor, let first = state.contexts.first else { return nil }
            state.acceptor = nil
            return (acceptor, first.loop)
        }
        guard let (acceptor, loop) = taken else { return }
        if loop.isInEventLoop {
            Self.acceptBacklog(acceptor)
            acceptor.close()
            return
        }
        // The acceptor is loop-confined, so the close runs there; waiting is a few microseconds of a queue hop.
        let done = DispatchSemaphore(value: 0)
        if loop.execute({ Self.acceptBacklog(acceptor); acceptor.close(); done.signal() }) {
            done.wait()
        } else {
            // The loop has exited: nothing else can touch the socket.
            Syscall.close(acceptor.socket.fd)
        }
    }

    /// Accepts what waits in the listen backlog before the listener closes: the kernel completed those connections,
    /// so their clients may have sent a request before the shutdown began, and closing the listener would reset them.
    /// Bounded, in case clients keep connecting. Loop thread only.
    private static func acceptBacklog(_ acceptor: Acceptor) {
        var listener = pollfd(fd: acceptor.socket.fd, events: Int16(POLLIN), revents: 0)
        var rounds = 0
        while rounds < 64 && poll(&listener, 1, 0) == 1 && listener.revents & Int16(POLLIN) != 0 {
            acceptor.handleEvents(.readable)
            rounds += 1
        }
    }

    /// stopAccepting, then waits until in-flight requests have been answered (or `graceSeconds` passed), then closes
    /// every connection and stops the loops. Idle keep-alive connections are closed at once; responses written
    /// during the grace period carry `Connection: close`.
    public func shutdown(graceSeconds: Double) async {
        stopAccepting()
        let contexts = runState.withLock { state -> [LoopContext] in
            guard state.started, !state.shutDown else { return [] }
            state.shutDown = true
            return state.contexts
        }
        guard !contexts.isEmpty else { return }
        for context in contexts {
            // Wait until each loop has run it: a request it finds unread and dispatches must count as in flight
            // before the count is checked, or `closeAll` would cut it off.
            await withCheckedContinuation { (drained: CheckedContinuation<Void, Never>) in
                if !context.loop.execute({ context.beginDraining(); drained.resume() }) { drained.resume() }
            }
        }
        let deadline = MonotonicInstant.now().adding(seconds: graceSeconds)
        while inFlightRequestCount > 0 && MonotonicInstant.now() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        for context in contexts {
            context.loop.execute { context.closeAll() }
            context.loop.stop()
        }
        for context in contexts { await context.loop.waitForExit() }
    }
}
