import ClientTLS
import Transport
#if canImport(Glibc)
import Glibc
#endif

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
final class RedisLoopConnection: EventHandler, @unchecked Sendable {
    private enum Phase {
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
    private var phase: Phase = .disconnected
    private var fd: Int32 = -1
    private var registration: Registration?
    private var tls: TLSStream?
    private var addresses: [SocketAddress] = []
    private var addressIndex = 0
    private var establishTimer: TimerID?
    /// One timer for the deadlines of every command here, armed for the earliest: commands mostly share one
    /// timeout, so a later command rarely moves it, and no timer is scheduled and cancelled per command.
    private var deadlineTimer: TimerID?
    private var deadlineTimerAt: MonotonicInstant?

    /// Commands not yet written, in arrival order.
    private var waiting = RequestQueue()
    /// Commands placed in `out` (written or being written), in the order their replies will come.
    private var inFlight = RequestQueue()
    private var out: [UInt8] = []
    private var outOffset = 0
    /// Bytes of this connection's output stream before `out[0]`.
    private var streamBase = 0
    private var parser: RedisReplyParser
    private var writeBlocked = false
    /// TLS asked for the other direction than the one the operation is about.
    private var writeWantsRead = false
    private var readWantsWrite = false

    private var backoff: ReconnectBackoff
    /// Why the last attempt failed, repeated to the commands refused during the backoff delay.
    private var lastFailure: RedisError = .unavailable("no connection attempt yet")
    private var random = SystemRandomNumberGenerator()
    private let readBuffer: UnsafeMutableRawBufferPointer

    init(loop: EventLoop, shared: RedisClient.Shared) {
        self.loop = loop
        self.shared = shared
        parser = RedisReplyParser(limits: shared.configuration.limits)
        backoff = ReconnectBackoff(policy: shared.configuration.reconnect)
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit { readBuffer.deallocate() }

    private var endpoint: RedisEndpoint { shared.configuration.endpoint }

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

    private func armDeadlineTimer(for deadline: MonotonicInstant) {
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
    private func deadlinesPassed() {
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
    private func place(_ request: RedisRequest) {
        request.streamOffset = streamBase + out.count
        out.append(contentsOf: request.bytes)
        inFlight.append(request)
    }

    // MARK: Connecting

    /// Starts a connection for the waiting commands, or fails them at once while the backoff delay runs.
    private func connectOrFailWaiting() {
        guard case .disconnected = phase, !waiting.isEmpty else { return }
        let now = MonotonicInstant.now()
        guard backoff.mayAttempt(at: now) else {
            let left = backoff.notBefore.map { $0.seconds(since: now) } ?? 0
            let next = "next attempt in \(Int((left * 1000).rounded(.up))) ms"
            // A refused password stays a refused password while the client waits to try again.
            let error: RedisError = if case .authenticationFailed(let detail) = lastFailure {
                .authenticationFailed("\(detail) (\(next))")
            } else {
                .unavailable("Redis at \(endpoint.address) failed a moment ago (\(Self.detail(of: lastFailure))); \(next)")
            }
            for request in waiting.takeAll() { request.finish(.failure(error)) }
            return
        }
        phase = .resolving
        parser = RedisReplyParser(limits: shared.configuration.limits)
        let seconds = shared.configuration.connectTimeoutSeconds
        establishTimer = loop.scheduleTimer(at: now.adding(seconds: seconds)) { [self] in
            establishTimer = nil
            establishFailed(.unavailable("connecting to Redis at \(endpoint.address) took longer than \(Self.format(seconds)) s"))
        }
        if let cached = shared.resolver.cached(host: endpoint.host, port: endpoint.port) {
            return resolved(cached)
        }
        let box = LoopBound(self)
        let loop = self.loop
        shared.resolver.resolve(host: endpoint.host, port: endpoint.port) { result in
            loop.execute { box.value.resolved(result) }
        }
    }

    private func resolved(_ result: Result<[SocketAddress], NameResolver.Failure>) {
        guard case .resolving = phase else { return }
        switch result {
        case .failure(let failure):
            establishFailed(.unavailable(failure.description))
        case .success(let list):
            addresses = list
            addressIndex = 0
            connectNext(previousError: nil)
        }
    }

    private func connectNext(previousError: String?) {
        if fd >= 0 { closeSocket() }
        guard addressIndex < addresses.count else {
            return establishFailed(.unavailable(previousError ?? "no address for \(endpoint.host)"))
        }
        let address = addresses[addressIndex]
        addressIndex += 1
        phase = .connecting
        do throws(SocketError) {
            let (newFD, start) = try OutboundSocket.connect(to: address)
            fd = newFD
            registration = try loop.register(fd: newFD, interest: start == .connected ? [] : .writable, handler: self)
            if start == .connected { connected() }
        } catch {
            connectNext(previousError: "cannot connect to Redis at \(address.description): \(error)")
        }
    }

    private func connected() {
        guard endpoint.usesTLS else { return startHandshake() }
        guard let context = shared.tls else {
            return establishFailed(.unavailable("TLS is not available: \(shared.tlsProblem ?? "no context")"))
        }
        do throws(TLSContext.SetupError) {
            tls = try TLSStream(context: context, fd: fd, host: endpoint.host, resume: nil)
        } catch {
            return establishFailed(.unavailable(error.description))
        }
        phase = .handshakingTLS
        driveTLSHandshake()
    }

    private func driveTLSHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done: startHandshake()
        case .wantRead: setInterest(.readable)
        case .wantWrite: setInterest(.writable)
        case .closed: establishFailed(.unavailable("Redis at \(endpoint.address) closed the connection during the TLS handshake"))
        case .failed(let detail): establishFailed(.unavailable(detail))
        }
    }

    /// `AUTH` and `SELECT`, pipelined, ahead of every command; without them the connection is ready at once.
    private func startHandshake() {
        let handshake = shared.handshake
        guard handshake.replies > 0 else { return becomeReady() }
        phase = .authenticating
        place(RedisRequest(bytes: handshake.bytes, replyCount: handshake.replies, isHandshake: true,
                           timeoutSeconds: shared.configuration.connectTimeoutSeconds, now: .now(), completion: nil))
        writeBlocked = false
        setInterest(.readable)
        flush()
    }

    private func handshakeAnswered(_ replies: [RedisReply]) {
        var index = 0
        if shared.handshake.authenticates {
            if case .error(let message) = replies[index] {
                let user = shared.configuration.username.map { "user \($0)" } ?? "the default user"
                return establishFailed(.authenticationFailed("AUTH as \(user) at \(endpoint.address): \(message)"))
            }
            index += 1
        }
        if index < replies.count, case .error(let message) = replies[index] {
            let error: RedisError = message.hasPrefix("NOAUTH")
                ? .authenticationFailed("Redis at \(endpoint.address) requires a password: \(message)")
                : .unavailable("SELECT \(endpoint.database) at \(endpoint.address) refused: \(message)")
            return establishFailed(error)
        }
        becomeReady()
    }

    private func becomeReady() {
        if let establishTimer { loop.cancelTimer(establishTimer) }
        establishTimer = nil
        phase = .ready
        backoff.succeeded()
        writeBlocked = false
        setInterest(.readable)
        while let request = waiting.removeFirst() { place(request) }
        flush()
    }

    /// The attempt failed before the connection carried a command: the waiting commands fail with `error` (nothing
    /// of theirs was sent), and the next attempt waits for the backoff delay.
    private func establishFailed(_ error: RedisError) {
        if let establishTimer { loop.cancelTimer(establishTimer) }
        establishTimer = nil
        closeSocket()
        phase = .disconnected
        _ = inFlight.takeAll()
        lastFailure = error
        backoff.failed(at: .now(), unitRandom: Double.random(in: 0..<1, using: &random))
        for request in waiting.takeAll() { request.finish(.failure(error)) }
    }

    // MARK: Writing

    private func flush() {
        while outOffset < out.count {
            let written: Int
            if let tls {
                switch out.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[outOffset...])) }) {
                case .done(let n): written = n
                case .wantWrite:
                    writeWantsRead = false
                    return blockWrites()
                case .wantRead:
                    writeWantsRead = true
                    return blockWrites()
                case .closed: return connectionBroke("Redis at \(endpoint.address) closed the TLS session", countsAsFailure: false)
                case .failed(let detail): return connectionBroke(detail, countsAsFailure: false)
                }
            } else {
                let result: Result<IOResult, SocketError> = out.withUnsafeBytes { buffer in
                    do throws(SocketError) {
                        return .success(try Syscall.send(fd, UnsafeRawBufferPointer(rebasing: buffer[outOffset...])))
                    } catch {
                        return .failure(error)
                    }
                }
                switch result {
                case .success(.processed(let n)): written = n
                case .success(.wouldBlock), .success(.endOfFile): return blockWrites()
                case .failure(let error): return connectionBroke("writing to Redis at \(endpoint.address): \(error)", countsAsFailure: false)
                }
            }
            outOffset += written
        }
        streamBase += out.count
        out.removeAll(keepingCapacity: out.capacity <= 64 * 1024)
        outOffset = 0
        writeWantsRead = false
        if writeBlocked {
            writeBlocked = false
            updateInterest()
        }
    }

    private func blockWrites() {
        writeBlocked = true
        updateInterest()
    }

    // MARK: Reading

    private func readReplies() {
        while isCarrying {
            let progress: TLSStream.Progress
            if let tls {
                progress = tls.read(into: readBuffer)
            } else {
                do throws(SocketError) {
                    switch try Syscall.read(fd, into: readBuffer) {
                    case .processed(let n): progress = .done(n)
                    case .wouldBlock: progress = .wantRead
                    case .endOfFile: progress = .closed
                    }
                } catch {
                    progress = .failed("reading from Redis at \(endpoint.address): \(error)")
                }
            }
            switch progress {
            case .done(let n):
                readWantsWrite = false
                var offset = 0
                while offset < n {
                    let (consumed, outcome) = parser.feed(UnsafeRawBufferPointer(rebasing: readBuffer[offset..<n]))
                    offset += consumed
                    switch outcome {
                    case .needMore:
                        continue
                    case .complete(let reply):
                        deliver(reply)
                        guard isCarrying else { return }
                    case .failed(let failure):
                        return protocolViolation(failure.description)
                    }
                }
            case .wantRead:
                if readWantsWrite {
                    readWantsWrite = false
                    updateInterest()
                }
                return
            case .wantWrite:
                readWantsWrite = true
                return updateInterest()
            case .closed:
                if inFlight.isEmpty && parser.isBetweenReplies {
                    // An idle connection the server closed (its idle timeout, a restart): the next command opens
                    // another at once.
                    closeSocket()
                    phase = .disconnected
                    return connectOrFailWaiting()
                }
                let how = parser.isBetweenReplies ? "" : " in the middle of a reply"
                return connectionBroke("Redis at \(endpoint.address) closed the connection\(how)", countsAsFailure: false)
            case .failed(let detail):
                return connectionBroke(detail, countsAsFailure: false)
            }
        }
    }

    /// Connected, with or without commands in flight.
    private var isCarrying: Bool {
        switch phase {
        case .authenticating, .ready: true
        default: false
        }
    }

    private func deliver(_ reply: RedisReply) {
        guard let request = inFlight.first else {
            return protocolViolation("a reply arrived while no command was waiting for one")
        }
        request.replies.append(reply)
        guard request.replies.count == request.replyCount else { return }
        _ = inFlight.removeFirst()
        if request.isHandshake { return handshakeAnswered(request.replies) }
        let replies = request.replies
        request.replies = []
        request.finish(.success(replies))
    }

    private func protocolViolation(_ detail: String) {
        if case .authenticating = phase {
            return establishFailed(.unavailable("Redis at \(endpoint.address) answered AUTH/SELECT with something unreadable: \(detail)"))
        }
        // The command whose reply was being read gets the reason; the rest of the connection is lost with it.
        if let request = inFlight.removeFirst() {
            request.finish(.failure(.protocolViolation(detail)))
        }
        connectionBroke("an earlier reply was not valid RESP2 (\(detail))", countsAsFailure: true)
    }

    /// The connection cannot go on. Commands written (wholly or in part) fail as lost; those not written at all
    /// go back to the front of the queue for the next connection. `countsAsFailure`: the server misbehaved (too
    /// slow, unreadable), so the next attempt waits for the backoff delay.
    private func connectionBroke(_ detail: String, countsAsFailure: Bool) {
        if case .authenticating = phase { return establishFailed(.unavailable(detail)) }
        let written = streamBase + outOffset
        closeSocket()
        phase = .disconnected
        var unsent: [RedisRequest] = []
        for request in inFlight.takeAll() {
            if request.streamOffset >= written {
                request.replies = []
                unsent.append(request)
            } else {
                request.finish(.failure(.connectionLost(detail)))
            }
        }
        waiting.prepend(unsent.filter { !$0.isFinished })
        if countsAsFailure {
            lastFailure = .unavailable(detail)
            backoff.failed(at: .now(), unitRandom: Double.random(in: 0..<1, using: &random))
        }
        connectOrFailWaiting()
    }

    // MARK: Events

    func handleEvents(_ events: IOEvents) {
        loop.assertInEventLoop()
        switch phase {
        case .disconnected, .resolving, .shutDown:
            return
        case .connecting:
            if let error = OutboundSocket.finishConnect(fd) {
                let address = addresses[addressIndex - 1].description
                return connectNext(previousError: "cannot connect to Redis at \(address): \(error)")
            }
            setInterest([])
            connected()
        case .handshakingTLS:
            driveTLSHandshake()
        case .authenticating, .ready:
            let failed = events.contains(.error) || events.contains(.hangup)
            if out.count > outOffset && (events.contains(.writable) || (writeWantsRead && events.contains(.readable)) || failed) {
                flush()
                guard isCarrying else { return }
            }
            if events.contains(.readable) || events.contains(.readHangup) || failed || (readWantsWrite && events.contains(.writable)) {
                readReplies()
            }
        }
    }

    private func updateInterest() {
        guard isCarrying else { return }
        var interest: IOEvents = .readable
        if (writeBlocked && !writeWantsRead) || readWantsWrite { interest.insert(.writable) }
        setInterest(interest)
    }

    private func setInterest(_ interest: IOEvents) {
        guard var registration else { return }
        do throws(SocketError) {
            try loop.setInterest(&registration, interest)
            self.registration = registration
        } catch {
            // epoll_ctl on our own registered descriptor failing leaves us unable to wait for it: give it up.
            TransportLog.error("redis-client: \(error)")
            if isCarrying {
                connectionBroke("cannot wait for the socket: \(error)", countsAsFailure: true)
            } else {
                establishFailed(.unavailable("cannot wait for the socket: \(error)"))
            }
        }
    }

    // MARK: Closing

    private func closeSocket() {
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
