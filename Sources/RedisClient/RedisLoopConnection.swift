import ClientTLS
import Transport

/// The client's one connection to Redis on one event loop, and the commands of that loop's callers. Commands are
/// pipelined: each is written as soon as it arrives, and replies are matched to commands in order. The connection
/// is opened when a command needs it (resolve, non-blocking connect, TLS, then `AUTH` and `SELECT`), and opened
/// again after it broke; after a failed attempt, or a command that timed out, the next attempt waits for the
/// `ReconnectBackoff` delay, and commands arriving meanwhile fail at once as `unavailable` rather than wait.
///
/// What becomes of commands when the connection ends: those none of whose bytes were written go to the next
/// connection (certainly not run); those written get `connectionLost` (or `timeout`, or `protocolViolation` for
/// the one whose reply was unreadable): they may have run, and are never sent again.
///
/// `@unchecked Sendable`: every mutable field is touched on `loop`'s thread only (asserted at the entry points);
/// it is Sendable so the client can keep it in its table and send work for it to its loop.
final class RedisLoopConnection: EventHandler, LoopBoundState, @unchecked Sendable {
    enum Phase {
        case disconnected
        case resolving
        case connecting
        case handshakingTLS
        /// `AUTH`/`SELECT` are in flight; commands wait.
        case authenticating
        case ready
        case shutDown
    }

    let loop: EventLoop
    let shared: RedisClient.Shared
    var phase: Phase = .disconnected
    var fd: Int32 = -1
    var registration: Registration?
    var tls: TLSStream?
    var addresses: [SocketAddress] = []
    var addressIndex = 0
    var establishTimer: TimerID?
    /// One timer for the deadlines of every command here, armed for the earliest: commands mostly share one
    /// timeout, so a later command rarely moves it, and no timer is scheduled and cancelled per command.
    var deadlineTimer: TimerID?
    var deadlineTimerAt: MonotonicInstant?

    /// Commands not yet written, in arrival order.
    var waiting = RequestQueue()
    /// Commands placed in `out` (written or being written), in the order their replies will come.
    var inFlight = RequestQueue()
    var out: [UInt8] = []
    var outOffset = 0
    /// Bytes of this connection's output stream before `out[0]`.
    var streamBase = 0
    var parser: RedisReplyParser
    var writeBlocked = false
    /// TLS asked for the other direction than the one the operation is about.
    var writeWantsRead = false
    var readWantsWrite = false

    var backoff: ReconnectBackoff
    /// Why the last attempt failed, repeated to the commands refused during the backoff delay.
    var lastFailure: RedisError = .unavailable("no connection attempt yet")
    var random = SystemRandomNumberGenerator()
    let readBuffer: UnsafeMutableRawBufferPointer

    init(loop: EventLoop, shared: RedisClient.Shared) {
        self.loop = loop
        self.shared = shared
        parser = RedisReplyParser(limits: shared.configuration.limits)
        backoff = ReconnectBackoff(policy: shared.configuration.reconnect)
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { readBuffer.deallocate() }

    var endpoint: RedisEndpoint { shared.configuration.endpoint }

    // MARK: Commands

    /// Queues `bytes` (`replyCount` commands) and answers `completion` exactly once, within `timeoutSeconds`.
    func submit(_ bytes: [UInt8], replyCount: Int, timeoutSeconds: Double,
                _ completion: @escaping (Result<[RedisReply], RedisError>) -> Void) {
        loop.assertInEventLoop()
        let request = RedisRequest(bytes: bytes, replyCount: replyCount, timeoutSeconds: timeoutSeconds, now: .now(),
                                   completion: completion)
        if case .shutDown = phase {
            return request.finish(.failure(.unavailable("the Redis client is shut down")))
        }
        guard waiting.count + inFlight.count < shared.configuration.maxQueuedCommandsPerLoop else {
            return request.finish(.failure(.unavailable("too many commands waiting for Redis at \(endpoint.address)")))
        }
        armDeadlineTimer(for: request.deadline)
        switch phase {
        case .ready:
            // An idle plain connection the server closed a moment ago (its end not yet seen by the loop) is
            // replaced before anything is written to it. Over TLS, unread bytes may be a session ticket, so the
            // loop's own read decides.
            if inFlight.isEmpty && tls == nil && !OutboundSocket.isIdleAndOpen(fd) {
                closeSocket()
                phase = .disconnected
                waiting.append(request)
                return connectOrFailWaiting()
            }
            place(request)
            flush()
        case .disconnected:
            waiting.append(request)
            connectOrFailWaiting()
        case .resolving, .connecting, .handshakingTLS, .authenticating:
            waiting.append(request)
        case .shutDown:
            break
        }
    }

    func armDeadlineTimer(for deadline: MonotonicInstant) {
        if let armed = deadlineTimerAt, armed <= deadline { return }
        if let deadlineTimer { loop.cancelTimer(deadlineTimer) }
        deadlineTimerAt = deadline
        deadlineTimer = loop.scheduleTimer(at: deadline) { [self] in
            deadlineTimer = nil
            deadlineTimerAt = nil
            deadlinesPassed()
        }
    }

    /// Fails the commands whose time is up, then re-arms the timer for the earliest of the rest.
    func deadlinesPassed() {
        let now = MonotonicInstant.now()
        for request in waiting.expired(at: now) {
            waiting.remove(request)
            request.finish(.failure(.timeout(seconds: request.timeoutSeconds)))
        }
        let late = inFlight.expired(at: now)
        if let first = late.first {
            for request in late { request.finish(.failure(.timeout(seconds: request.timeoutSeconds))) }
            // Their replies may still come, and every reply after them would then be matched to the wrong command:
            // the connection is given up, and a server this slow is not tried again before the backoff delay.
            connectionBroke("a command on it timed out after \(Self.format(first.timeoutSeconds)) s", countsAsFailure: true)
        }
        let earliest = [waiting.earliestDeadline(), inFlight.earliestDeadline()].compactMap { $0 }.min()
        if let earliest { armDeadlineTimer(for: earliest) }
    }

    /// Appends the request's bytes to the output and expects its replies.
    func place(_ request: RedisRequest) {
        request.streamOffset = streamBase + out.count
        out.append(contentsOf: request.bytes)
        inFlight.append(request)
    }

    // MARK: Closing

    func closeSocket() {
        if case .ready = phase, inFlight.isEmpty { tls?.closeNotify() }
        if let registration { loop.deregister(registration) }
        registration = nil
        tls = nil
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
        out.removeAll(keepingCapacity: false)
        outOffset = 0
        streamBase = 0
        writeBlocked = false
        writeWantsRead = false
        readWantsWrite = false
    }

    /// Closes the connection for good; commands still waiting or in flight fail.
    func shutDown() {
        loop.assertInEventLoop()
        if case .shutDown = phase { return }
        if let establishTimer { loop.cancelTimer(establishTimer) }
        establishTimer = nil
        if let deadlineTimer { loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        deadlineTimerAt = nil
        let inFlightRequests = inFlight.takeAll()
        let waitingRequests = waiting.takeAll()
        closeSocket()
        phase = .shutDown
        for request in inFlightRequests where !request.isHandshake {
            request.finish(.failure(.connectionLost("the Redis client was shut down")))
        }
        for request in waitingRequests {
            request.finish(.failure(.unavailable("the Redis client was shut down")))
        }
    }

    /// Closes the descriptor without touching the loop, which has exited: for shutdown only.
    func closeAfterLoopExit() {
        tls = nil
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
        registration = nil
        phase = .shutDown
    }

    static func detail(of error: RedisError) -> String {
        switch error {
        case .unavailable(let detail), .connectionLost(let detail), .authenticationFailed(let detail),
             .server(let detail), .protocolViolation(let detail), .invalidCommand(let detail):
            detail
        case .timeout(let seconds):
            "no answer within \(format(seconds)) s"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
    }
}
