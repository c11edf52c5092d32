import Transport

/// Per-event-loop state shared by that loop's connections: the read buffer, the Date cache and the set of live
/// connections (for draining at shutdown).
///
/// `@unchecked Sendable`: created on the starting thread, then touched only on `loop`'s thread (all access goes
/// through `loop.execute` or event callbacks, and every entry point asserts it). Sendable so it can be captured by work sent to that loop.
final class LoopContext: @unchecked Sendable {
    let loop: EventLoop
    let shared: ServerShared
    var dateCache = HTTPDateCache()
    var connections: [ObjectIdentifier: HTTPConnection] = [:]
    var draining = false
    /// One read buffer per loop: a read is fully processed before the next, so connections can share it.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Set when handlers run on this loop (`runsHandlersOnEventLoop`).
    let taskExecutor: EventLoopTaskExecutor?

    static let readBufferSize = 64 * 1024

    init(loop: EventLoop, shared: ServerShared) {
        self.loop = loop
        self.shared = shared
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        self.taskExecutor = shared.configuration.runsHandlersOnEventLoop ? EventLoopTaskExecutor(loop: loop) : nil
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Creates and starts a connection for an accepted descriptor. Loop thread only.
    func adopt(fd: Int32, peer: String, rejection: HTTPRejection?) {
        loop.assertInEventLoop()
        let connection = HTTPConnection(fd: fd, context: self, remoteAddress: peer, rejection: rejection)
        connections[ObjectIdentifier(connection)] = connection
        connection.start()
        if draining { connection.beginDraining() }
    }

    func forget(_ connection: HTTPConnection) {
        loop.assertInEventLoop()
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Shutdown, first phase: close idle connections, make the others close after their current response.
    func beginDraining() {
        loop.assertInEventLoop()
        draining = true
        for connection in Array(connections.values) { connection.beginDraining() }
    }

    /// Shutdown, last phase.
    func closeAll() {
        loop.assertInEventLoop()
        for connection in Array(connections.values) { connection.close() }
    }
}
