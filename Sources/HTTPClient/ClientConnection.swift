import ClientTLS
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// One outbound connection on one event loop: establishes itself (resolve, non-blocking connect, an optional
/// CONNECT tunnel, an optional TLS handshake), then carries one request at a time and goes back to its pool.
///
/// Loop-confined: created, driven and closed on `owner.loop` only.
final class ClientConnection: EventHandler {
    /// How a request on this connection ended, for the exchange to decide about retries.
    enum RequestEnd {
        case response(HTTPClientResponse, reusable: Bool)
        /// Not one request byte reached the socket: certainly not delivered.
        case failedBeforeWrite(String)
        /// Bytes were written, then the connection broke; `answered` when part of an answer had arrived.
        case lostAfterWrite(String, answered: Bool)
        case badAnswer(HTTPResponseParser.Failure)
        /// The request's deadline passed before its answer was complete (the connection is closed).
        case deadlinePassed
    }

    private enum Phase {
        case resolving
        case connecting
        case tunnelling
        case handshaking
        case ready
        case closed
    }

    let owner: ClientLoop
    let pool: HostPool
    var key: PoolKey { pool.key }
    private var phase: Phase = .resolving
    private var fd: Int32 = -1
    private var registration: Registration?
    private var tls: TLSStream?
    private var addresses: [SocketAddress] = []
    private var addressIndex = 0
    private var connectTimer: TimerID?
    private var setupDone: ((HTTPClientError?) -> Void)?

    // One request in flight (also the CONNECT request while tunnelling).
    private var out: [UInt8] = []
    private var outOffset = 0
    private var parser: HTTPResponseParser?
    /// Who hears how the request in flight ended: its exchange, or the connection itself for its CONNECT (held as
    /// a value rather than a closure, whose context was an allocation per request).
    private enum RequestOwner {
        case exchange(Exchange)
        case tunnel
    }

    private var requestDone: RequestOwner?
    /// TLS asked for the other direction than the one the operation is about.
    private var tlsWantsOtherDirection = false

    /// Exchanges completed on this connection; above 0 it came from the pool.
    private(set) var completedRequests = 0
    var isClosed: Bool { if case .closed = phase { true } else { false } }

    // One loop timer serves both deadlines a connection has: the request's while it carries one, its idle expiry
    // while it waits in the pool. It is armed at or before whatever is due and re-armed only when it fires early or
    // something earlier becomes due, so a request on a pooled connection schedules and cancels no timer (doing both
    // for the request's deadline and the idle expiry on every request was most of the pool's cost per call).
    /// When the request in flight ends with `.deadlinePassed` (nil: no request, or none with a deadline).
    private var requestDeadline: MonotonicInstant?
    /// While idle in its pool (set and cleared by `ClientLoop`): when it is closed if nobody took it.
    var idleUntil: MonotonicInstant?
    private var timer: TimerID?
    private var timerAt = MonotonicInstant(nanoseconds: 0)

    init(owner: ClientLoop, pool: HostPool) {
        self.owner = owner
        self.pool = pool
    }

    // MARK: Establishing

    /// Connects; `done` gets nil when the connection is ready for a request, else why not (`.unavailable`, or
    /// `.proxyFailed` while the proxy was being reached or asked for the tunnel: nothing was sent either way).
    func establish(_ done: @escaping (HTTPClientError?) -> Void) {
        owner.loop.assertInEventLoop()
        setupDone = done
        let host = key.proxy?.host ?? key.target.host
        let port = key.proxy?.port ?? key.target.port
        if let cached = owner.shared.resolver.cached(host: host, port: port) {
            return resolved(cached)
        }
        let loop = owner.loop
        // Back to the loop with the answer; the connection is only touched there.
        let box = LoopBound(self)
        owner.shared.resolver.resolve(host: host, port: port) { result in
            loop.execute { box.value.resolved(result) }
        }
    }

    private func resolved(_ result: Result<[SocketAddress], NameResolver.Failure>) {
        guard case .resolving = phase else { return }
        switch result {
        case .failure(let failure):
            failSetup(failure.description)
        case .success(let list):
            addresses = list
            connectNext(previousError: nil)
        }
    }

    private func connectNext(previousError: String?) {
        if fd >= 0 { closeDescriptor() }
        guard addressIndex < addresses.count else {
            return failSetup(previousError ?? "no address to connect to")
        }
        let address = addresses[addressIndex]
        addressIndex += 1
        phase = .connecting
        do throws(SocketError) {
            let (newFD, start) = try OutboundSocket.connect(to: address)
            fd = newFD
            registration = try owner.loop.register(fd: newFD, interest: start == .connected ? [] : .writable, handler: self)
            if start == .connected { return connected() }
            let seconds = owner.shared.configuration.connectTimeoutSeconds
            connectTimer = owner.loop.scheduleTimer(at: .now().adding(seconds: seconds)) { [self] in
                connectTimer = nil
                connectNext(previousError: "connecting to \(address.description) timed out after \(Self.format(seconds)) s")
            }
        } catch {
            connectNext(previousError: "cannot connect to \(address.description): \(Self.reason(error))")
        }
    }

    private func connected() {
        if let connectTimer { owner.loop.cancelTimer(connectTimer) }
        connectTimer = nil
        // Every target goes through a tunnel, http ones too: what the proxy says itself is then only ever the answer
        // to CONNECT, never mistaken for the server's.
        if let proxy = key.proxy {
            phase = .tunnelling
            out = HTTPRequestEncoder.connect(key.target, credentials: proxy.credentials)
            outOffset = 0
            parser = HTTPResponseParser(requestMethod: "CONNECT", limits: HTTPResponseParser.Limits(maxHeadBytes: 16 * 1024, maxBodyBytes: 16 * 1024))
            requestDone = .tunnel
            return writeRequest()
        }
        startTLSOrFinish()
    }

    private func tunnelEnded(_ end: RequestEnd) {
        guard let proxy = key.proxy else { return }
        switch end {
        case .response(let response, reusable: true) where (200..<300).contains(response.status):
            startTLSOrFinish()
        case .response(let response, reusable: false) where (200..<300).contains(response.status):
            failSetup(.proxyFailed("the egress proxy \(proxy) sent more than its answer to CONNECT"))
        case .response(let response, _):
            let hint = response.status == 407 ? (proxy.credentials == nil ? " (it asks for credentials)" : " (it refused the credentials)") : ""
            failSetup(.proxyFailed("the egress proxy \(proxy) refused CONNECT \(key.target.authorityWithPort) with HTTP \(response.status)\(hint)"))
        case .failedBeforeWrite(let detail), .lostAfterWrite(let detail, _):
            failSetup(.proxyFailed("the egress proxy \(proxy) failed during CONNECT: \(detail)"))
        case .badAnswer(let failure):
            failSetup(.proxyFailed("the egress proxy \(proxy) answered CONNECT with something unreadable (\(failure))"))
        case .deadlinePassed:
            // The CONNECT carries no deadline of its own (its exchange's timer bounds the setup): not reached.
            failSetup(.proxyFailed("the egress proxy \(proxy) did not answer CONNECT in time"))
        }
    }

    private func startTLSOrFinish() {
        guard key.target.scheme == .https else { return setupSucceeded() }
        let context: TLSContext
        switch owner.shared.tlsContext() {
        case .success(let made): context = made
        case .failure(let problem): return failSetup("TLS is not available: \(problem.description)")
        }
        do throws(TLSContext.SetupError) {
            tls = try TLSStream(context: context, fd: fd, host: key.target.host, resume: pool.tlsSession)
        } catch {
            return failSetup(error.description)
        }
        phase = .handshaking
        driveHandshake()
    }

    private func driveHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done:
            setupSucceeded()
        case .wantRead:
            setInterest(.readable)
        case .wantWrite:
            setInterest(.writable)
        case .closed:
            failSetup("\(key.target.host) closed the connection during the TLS handshake")
        case .failed(let detail):
            failSetup(detail)
        }
    }

    private func setupSucceeded() {
        phase = .ready
        // Idle interest: readability of an idle connection means the server closed it or sent something unasked.
        setInterest(.readable)
        let done = setupDone
        setupDone = nil
        done?(nil)
    }

    /// Before the tunnel is up, a failure is the proxy's (reaching it, or its answer); after, the server's.
    private func failSetup(_ detail: String) {
        if let proxy = key.proxy, phase == .resolving || phase == .connecting {
            return failSetup(.proxyFailed("the egress proxy \(proxy) cannot be reached: \(detail)"))
        }
        failSetup(.unavailable(detail))
    }

    private func failSetup(_ error: HTTPClientError) {
        let done = setupDone
        setupDone = nil
        close()
        done?(error)
    }

    // MARK: Requests

    /// Writes `bytes` and reads the answer; `exchange` hears how it ended exactly once (unless the connection is
    /// closed by its owner), with `.deadlinePassed` when `deadline` comes first.
    func send(_ bytes: [UInt8], method: String, limits: HTTPResponseParser.Limits, deadline: MonotonicInstant?,
              for exchange: Exchange) {
        owner.loop.assertInEventLoop()
        requestDeadline = deadline
        if let deadline { armTimer(due: deadline) }
        out = bytes
        outOffset = 0
        parser = HTTPResponseParser(requestMethod: method, limits: limits)
        requestDone = .exchange(exchange)
        writeRequest()
    }

    private enum WriteStep {
        case wrote(Int)
        case blocked
        case failed(String)
    }

    private func writeRequest() {
        while outOffset < out.count {
            let step: WriteStep
            if let tls {
                switch out.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[outOffset...])) }) {
                case .done(let n): step = .wrote(n)
                case .wantWrite:
                    tlsWantsOtherDirection = false
                    step = .blocked
                case .wantRead:
                    tlsWantsOtherDirection = true
                    return setInterest(.readable)
                case .closed: step = .failed("\(key.target.host) closed the TLS session")
                case .failed(let detail): step = .failed(detail)
                }
            } else {
                step = out.withUnsafeBytes { buffer -> WriteStep in
                    do throws(SocketError) {
                        switch try Syscall.send(fd, UnsafeRawBufferPointer(rebasing: buffer[outOffset...])) {
                        case .processed(let n): return .wrote(n)
                        case .wouldBlock, .endOfFile: return .blocked
                        }
                    } catch {
                        return .failed(Self.reason(error))
                    }
                }
            }
            switch step {
            case .wrote(let n):
                outOffset += n
            case .blocked:
                return setInterest(.writable)
            case .failed(let detail):
                return endRequest(outOffset == 0 ? .failedBeforeWrite(detail) : .lostAfterWrite(detail, answered: false))
            }
        }
        tlsWantsOtherDirection = false
        setInterest(.readable)
    }

    private func readAnswer() {
        let buffer = owner.readBuffer
        while parser != nil {
            let progress: TLSStream.Progress
            if let tls {
                progress = tls.read(into: buffer)
            } else {
                do throws(SocketError) {
                    switch try Syscall.read(fd, into: buffer) {
                    case .processed(let n): progress = .done(n)
                    case .wouldBlock: progress = .wantRead
                    case .endOfFile: progress = .closed
                    }
                } catch {
                    progress = .failed(Self.reason(error))
                }
            }
            switch progress {
            case .done(let n):
                // Fed in place. Feeding a copy while `self.parser` still held the same body buffer made every read
                // copy the whole body received so far: quadratic in the answer's size.
                guard let (consumed, outcome) = parser?.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) else { return }
                switch outcome {
                case .needMore:
                    continue
                case .complete(let response, let reusable):
                    // A CONNECT answer (HTTP/1.0 from many proxies) opens a tunnel whatever its keep-alive says;
                    // only bytes after it would make the tunnel unusable.
                    let tunnel = if case .tunnelling = phase { true } else { false }
                    return endRequest(.response(response, reusable: (reusable || tunnel) && consumed == n))
                case .failed(let failure):
                    return endRequest(.badAnswer(failure))
                }
            case .wantRead:
                tlsWantsOtherDirection = false
                return setInterest(.readable)
            case .wantWrite:
                tlsWantsOtherDirection = true
                return setInterest(.writable)
            case .closed:
                let answered = parser?.sawBytes ?? false
                switch parser?.endOfInput() {
                case nil:
                    return
                case .complete(let response, _):
                    return endRequest(.response(response, reusable: false))
                case .failed(.truncated) where !answered:
                    return endRequest(.lostAfterWrite("\(key.target.host) closed the connection without answering", answered: false))
                case .failed(let failure):
                    return endRequest(.badAnswer(failure))
                case .needMore:
                    return endRequest(.badAnswer(.truncated))
                }
            case .failed(let detail):
                return endRequest(.lostAfterWrite(detail, answered: parser?.sawBytes ?? false))
            }
        }
    }

    private func endRequest(_ end: RequestEnd) {
        requestDeadline = nil
        parser = nil
        out = []
        outOffset = 0
        let done = requestDone
        requestDone = nil
        // The CONNECT answer: `tunnelEnded` decides what becomes of the connection.
        if case .tunnelling = phase {
            notify(done, end)
            return
        }
        if case .response = end, let session = tls?.session() { owner.storeTLSSession(session, in: pool) }
        if case .response(_, reusable: true) = end { completedRequests += 1 } else { close() }
        notify(done, end)
    }

    private func notify(_ requestOwner: RequestOwner?, _ end: RequestEnd) {
        switch requestOwner {
        case .exchange(let exchange): exchange.requestEnded(end, on: self)
        case .tunnel: tunnelEnded(end)
        case nil: break
        }
    }

    /// Back in its pool until `until`.
    func becameIdle(until: MonotonicInstant) {
        idleUntil = until
        armTimer(due: until)
    }

    // MARK: The timer

    /// Makes sure the timer fires at or before `due`.
    private func armTimer(due: MonotonicInstant) {
        if timer != nil {
            if timerAt <= due { return }
            cancelTimer()
        }
        timerAt = due
        timer = owner.loop.scheduleTimer(at: due) { [weak self] in self?.timerFired() }
    }

    private func cancelTimer() {
        if let timer { owner.loop.cancelTimer(timer) }
        timer = nil
    }

    /// Acts on what is due, or waits on for what is not yet.
    private func timerFired() {
        timer = nil
        let now = MonotonicInstant.now()
        if requestDone != nil, let deadline = requestDeadline {
            if deadline <= now { return endRequest(.deadlinePassed) }
            return armTimer(due: deadline)
        }
        if let idleUntil {
            if idleUntil <= now { return close() }
            armTimer(due: idleUntil)
        }
    }

    /// For the pool: an idle connection that can still carry a request.
    func isReusable() -> Bool {
        guard case .ready = phase, requestDone == nil else { return false }
        if let tls, tls.hasPendingBytes { return false }
        return OutboundSocket.isIdleAndOpen(fd)
    }

    // MARK: Events

    func handleEvents(_ events: IOEvents) {
        owner.loop.assertInEventLoop()
        switch phase {
        case .resolving, .closed:
            return
        case .connecting:
            if let error = OutboundSocket.finishConnect(fd) {
                return connectNext(previousError: "cannot connect to \(addresses[addressIndex - 1].description): \(Self.reason(error))")
            }
            connected()
        case .handshaking:
            driveHandshake()
        case .tunnelling, .ready:
            guard requestDone != nil else {
                // Idle: the server closed the connection or spoke unasked. Either way it is done.
                return close()
            }
            if outOffset < out.count {
                if events.contains(.writable) || tlsWantsOtherDirection || events.contains(.error) || events.contains(.hangup) {
                    writeRequest()
                }
            } else {
                readAnswer()
            }
        }
    }

    private func setInterest(_ interest: IOEvents) {
        guard var registration else { return }
        do throws(SocketError) {
            try owner.loop.setInterest(&registration, interest)
            self.registration = registration
        } catch {
            // epoll_ctl on our own registered descriptor failing leaves us unable to wait for it: give it up.
            TransportLog.error("http-client: \(error)")
            let done = requestDone
            if done != nil { endRequest(.lostAfterWrite("cannot wait for the socket: \(error)", answered: false)) } else {
                failSetup("cannot wait for the socket: \(error)")
            }
        }
    }

    // MARK: Closing

    /// Closes the socket and tells the pool; an unfinished request is dropped without its callback (the owner
    /// closing a connection has already given its exchange an answer).
    func close() {
        guard !isClosed else { return }
        // Between requests the TLS session ended cleanly: say so, so that it can be resumed.
        if case .ready = phase, requestDone == nil { tls?.closeNotify() }
        requestDone = nil
        setupDone = nil
        if let connectTimer { owner.loop.cancelTimer(connectTimer) }
        connectTimer = nil
        cancelTimer()
        requestDeadline = nil
        idleUntil = nil
        closeDescriptor()
        phase = .closed
        owner.connectionClosed(self)
    }

    /// Closes without touching the loop (which has exited): for shutdown only.
    func closeAfterLoopExit() {
        guard !isClosed else { return }
        tls = nil
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
        registration = nil
        phase = .closed
    }

    private func closeDescriptor() {
        if let registration { owner.loop.deregister(registration) }
        registration = nil
        tls = nil
        if fd >= 0 { Syscall.close(fd) }
        fd = -1
    }

    static func reason(_ error: SocketError) -> String {
        let message = strerror(error.errno).map { String(cString: $0) } ?? "errno \(error.errno)"
        return message
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
