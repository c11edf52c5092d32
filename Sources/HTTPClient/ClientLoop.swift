import COpenSSL
import Transport

/// Where connections are pooled: the target's origin and the proxy in between, if any.
struct PoolKey: Hashable {
    var target: HTTPRequestTarget
    var proxy: ProxyEndpoint?

    init(target: HTTPRequestTarget, proxy: ProxyEndpoint?) {
        // The path is not part of a connection's identity.
        self.target = HTTPRequestTarget(scheme: target.scheme, host: target.host, port: target.port, pathAndQuery: "/")
        self.proxy = proxy
    }
}

/// The connections of one loop to one origin. Its connections and exchanges hold it, so a request looks its pool up
/// once (and, for the origin it used last, without hashing the key).
final class HostPool {
    let key: PoolKey
    /// Most recently used last: the warmest connection is taken first, the coldest times out.
    var idle: [ClientConnection] = []
    /// Connections counted against the cap: establishing, busy and idle.
    var open = 0
    var waiting: [Exchange] = []
    /// The last TLS session seen for this origin, to resume the next handshake with.
    var tlsSession: OpaquePointer?

    init(key: PoolKey) {
        self.key = key
    }

    deinit { if let tlsSession { SSL_SESSION_free(tlsSession) } }
}

/// The client's state on one event loop: its pools and its read buffer.
///
/// `@unchecked Sendable`: everything but `loop` and `shared` is touched on `loop`'s thread only (asserted at the
/// entry points); it is Sendable so the client can keep it in its table and send work for it to its loop.
final class ClientLoop: LoopBoundState, @unchecked Sendable {
    let loop: EventLoop
    let shared: HTTPClient.Shared
    private var pools: [PoolKey: HostPool] = [:]
    /// One read buffer per loop: a read is handled completely before the next.
    let readBuffer: UnsafeMutableRawBufferPointer
    private var waiterServicePending = false

    init(loop: EventLoop, shared: HTTPClient.Shared) {
        self.loop = loop
        self.shared = shared
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { readBuffer.deallocate() }

    /// The pool asked for last: most requests of a loop go to one origin, and comparing a key is cheaper than
    /// hashing it (its host string is usually the very storage the last request carried).
    private var lastPool: HostPool?

    func pool(for key: PoolKey) -> HostPool {
        if let lastPool, lastPool.key == key { return lastPool }
        let pool: HostPool
        if let known = pools[key] {
            pool = known
        } else {
            pool = HostPool(key: key)
            pools[key] = pool
        }
        lastPool = pool
        return pool
    }

    /// Gives `exchange` a connection: a live idle one (unless it must be fresh), a new one under the cap, or a
    /// place in the queue.
    func acquire(for exchange: Exchange, fresh: Bool) {
        loop.assertInEventLoop()
        let pool = exchange.pool
        if !fresh {
            while let connection = pool.idle.popLast() {
                // Its timer stays armed: it finds the connection busy when it fires and waits for what is due then.
                connection.idleUntil = nil
                if connection.isReusable() { return exchange.attach(connection) }
                connection.close()
            }
        }
        if pool.open < shared.configuration.maxConnectionsPerHost {
            pool.open += 1
            let connection = ClientConnection(owner: self, pool: pool)
            exchange.establishing = connection
            connection.establish { [weak exchange] error in
                guard let exchange else { return connection.close() }
                exchange.established(connection, error: error)
            }
            return
        }
        guard pool.waiting.count < shared.configuration.maxWaitingPerHost else {
            return exchange.finish(.failure(.unavailable("too many requests waiting for a connection to \(exchange.key.target.hostHeader)")))
        }
        exchange.isWaiting = true
        pool.waiting.append(exchange)
    }

    /// A request ended with a reusable connection: the next waiter gets it, or it goes idle.
    func release(_ connection: ClientConnection) {
        loop.assertInEventLoop()
        let pool = connection.pool
        while !pool.waiting.isEmpty {
            let next = pool.waiting.removeFirst()
            next.isWaiting = false
            if next.isFinished { continue }
            return next.attach(connection)
        }
        pool.idle.append(connection)
        connection.becameIdle(until: .now().adding(seconds: shared.configuration.idleTimeoutSeconds))
    }

    /// Keeps `session` (a reference the caller hands over) for the next handshake with this origin. Asked after an
    /// answer was read, since TLS 1.3 servers send their tickets after the handshake.
    func storeTLSSession(_ session: OpaquePointer, in pool: HostPool) {
        if let old = pool.tlsSession { SSL_SESSION_free(old) }
        pool.tlsSession = session
    }

    func forgetWaiter(_ exchange: Exchange) {
        exchange.isWaiting = false
        exchange.pool.waiting.removeAll { $0 === exchange }
    }

    /// Counts a closed connection out; waiters that now fit under the cap get a new connection, on the next turn
    /// of the loop so that no callback runs inside another's.
    func connectionClosed(_ connection: ClientConnection) {
        let pool = connection.pool
        pool.open -= 1
        pool.idle.removeAll { $0 === connection }
        if !pool.waiting.isEmpty && !waiterServicePending {
            waiterServicePending = true
            let box = LoopBound(self)
            loop.execute { box.value.serveWaiters() }
        }
    }

    private func serveWaiters() {
        waiterServicePending = false
        for pool in pools.values {
            while pool.open < shared.configuration.maxConnectionsPerHost, !pool.waiting.isEmpty {
                let next = pool.waiting.removeFirst()
                next.isWaiting = false
                if next.isFinished { continue }
                acquire(for: next, fresh: true)
            }
        }
    }

    /// Closes every idle connection (shutdown). `loopRunning` false: the loop has exited and its epoll instance
    /// is gone, so descriptors are closed without deregistering.
    func closeIdle(loopRunning: Bool) {
        for pool in pools.values {
            for connection in pool.idle {
                if loopRunning { connection.close() } else { connection.closeAfterLoopExit() }
            }
            pool.idle.removeAll()
        }
    }
}
