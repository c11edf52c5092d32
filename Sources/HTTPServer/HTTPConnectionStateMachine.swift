import HTTPCore
import Transport

/// The protocol logic of one HTTP/1.1 connection, free of I/O and of clocks: every input carries `now`, and the
/// outputs are actions plus two queries (`wantsRead`, `deadline`) the I/O side applies. Tests drive it with a mock
/// clock.
///
/// One request at a time (RFC 9112 9.3.2 pipelining is answered in order by construction): after dispatching a
/// request the machine stops parsing and asks not to be read; bytes already received stay in `inbound` and are
/// parsed once the response has been written.
public struct HTTPConnectionStateMachine {
    public enum State: Sendable, Equatable {
        /// Between requests; closes silently at `deadline`.
        case idle(deadline: MonotonicInstant)
        /// Reading a request head; 408 at `deadline`, which is fixed at the request's first byte.
        case readingHead(deadline: MonotonicInstant)
        /// Reading a body; 408 at `deadline`.
        case readingBody(deadline: MonotonicInstant)
        /// The application has the request.
        case handling
        /// A response is being written; close at `deadline` if the peer does not read it.
        case writing(close: Bool, deadline: MonotonicInstant)
        /// Closing response written and write side shut down; discarding input until EOF or `deadline`.
        case lingering(deadline: MonotonicInstant)
        case closed
    }

    public private(set) var state: State
    public let timeouts: HTTPConnectionTimeouts
    private var parser: HTTPRequestParser
    private let errorResponder: @Sendable (HTTPRejection) -> HTTPResponse
    private let remoteAddress: String?
    /// Received bytes not yet consumed by the parser (only ever non-empty while a request is handled or pipelined).
    private var inbound: [UInt8] = []
    private var currentHead: HTTPRequestHead?
    private var eofReceived = false
    private var draining = false
    private var pendingRejection: HTTPRejection?

    /// - Parameter rejection: answer this at once and close (used over the connection cap).
    public init(limits: HTTPParserLimits, timeouts: HTTPConnectionTimeouts,
                errorResponder: @escaping @Sendable (HTTPRejection) -> HTTPResponse,
                remoteAddress: String? = nil, now: MonotonicInstant, rejection: HTTPRejection? = nil) {
        self.parser = HTTPRequestParser(limits: limits)
        self.timeouts = timeouts
        self.errorResponder = errorResponder
        self.remoteAddress = remoteAddress
        self.pendingRejection = rejection
        // A fresh connection gets the header timeout for its first byte: connecting and sending nothing is the
        // cheapest way to hold a slot, so it gets the short limit, not the keep-alive one.
        self.state = .idle(deadline: now.adding(seconds: min(timeouts.header, timeouts.idle)))
    }

    /// Whether the I/O side should read from the socket.
    public var wantsRead: Bool {
        switch state {
        case .idle, .readingHead, .readingBody, .lingering: return !eofReceived
        case .handling, .writing, .closed: return false
        }
    }

    /// When `timerFired` must be called next, if ever.
    public var deadline: MonotonicInstant? {
        switch state {
        case .idle(let d), .readingHead(let d), .readingBody(let d), .writing(_, let d), .lingering(let d): return d
        case .handling, .closed: return nil
        }
    }

    /// Bytes received but not yet parsed (pipelined requests waiting their turn).
    public var bufferedByteCount: Int { inbound.count }

    /// First actions of a new connection: nothing, or the over-capacity rejection.
    public mutating func start(now: MonotonicInstant) -> [HTTPConnectionAction] {
        guard let rejection = pendingRejection else { return [] }
        pendingRejection = nil
        return reject(rejection, now: now)
    }

    // MARK: Inputs

    public mutating func bytesReceived(_ bytes: UnsafeRawBufferPointer, now: MonotonicInstant) -> [HTTPConnectionAction] {
        switch state {
        case .closed, .lingering:
            return []
        case .handling, .writing:
            // Read before the I/O side noticed it should stop: keep the bytes for later, in order.
            inbound.append(contentsOf: bytes)
            return []
        case .idle, .readingHead, .readingBody:
            if inbound.isEmpty {
                // Common case: parse straight from the read buffer and keep only what is left over.
                let (consumed, actions) = process(bytes, now: now)
                if consumed < bytes.count { inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...])) }
                return actions
            }
            inbound.append(contentsOf: bytes)
            return processInbound(now: now)
        }
    }

    public mutating func bytesReceived(_ bytes: [UInt8], now: MonotonicInstant) -> [HTTPConnectionAction] {
        bytes.withUnsafeBytes { bytesReceived($0, now: now) }
    }

    /// The peer closed its sending side (read returned 0).
    public mutating func endOfInput(now: MonotonicInstant) -> [HTTPConnectionAction] {
        eofReceived = true
        switch state {
        case .idle, .readingHead, .readingBody, .lingering:
            // Nothing to answer (a half-sent request cannot be completed any more).
            state = .closed
            return [.close]
        case .handling, .writing, .closed:
            // Pending and already-buffered requests are still answered (half-close, RFC 9112 9.6).
            return []
        }
    }

    /// The application's answer to the dispatched request.
    public mutating func responseReady(_ response: HTTPResponse, now: MonotonicInstant) -> [HTTPConnectionAction] {
        guard case .handling = state, let head = currentHead else { return [] }
        if response.abortsConnection {
            // The application asked for a lost connection (the simulator's fault): nothing is written.
            state = .closed
            return [.close]
        }
        // A `close` element in a Connection field the handler set; read in place (no array of values, no split).
        let handlerCloses = response.headers.contains { field in
            field.name.lowercasedASCIIEquals("connection")
                && !HTTPFieldList.forEachElement(field.value) { !HTTPByteClass.equalsLowercase($0, "close") }
        }
        let noMoreInput = eofReceived && inbound.isEmpty
        let close = !head.keepAlive || draining || handlerCloses || noMoreInput
        state = .writing(close: close, deadline: now.adding(seconds: timeouts.idle))
        let context = HTTPResponseContext(isHEAD: head.isHEAD, close: close,
                                          confirmKeepAlive: !close && head.versionMinor == 0)
        return [.send(response, context)]
    }

    /// Everything queued so far has been handed to the kernel.
    public mutating func writeCompleted(now: MonotonicInstant) -> [HTTPConnectionAction] {
        guard case .writing(let close, _) = state else { return [] }
        currentHead = nil
        if close {
            if eofReceived {
                state = .closed
                return [.close]
            }
            state = .lingering(deadline: now.adding(seconds: timeouts.linger))
            return [.shutdownWrite]
        }
        state = .idle(deadline: now.adding(seconds: timeouts.idle))
        if draining && inbound.isEmpty {
            state = .closed
            return [.close]
        }
        var actions = inbound.isEmpty ? [] : processInbound(now: now)
        if eofReceived, wantsReadIgnoringEOF {
            // The buffered input ended inside a request (or with none): nothing more will come.
            state = .closed
            actions.append(.close)
        }
        return actions
    }

    /// The I/O side's timer reached `deadline` (it may fire late; never early by the machine's own account).
    public mutating func timerFired(now: MonotonicInstant) -> [HTTPConnectionAction] {
        guard let deadline, now >= deadline else { return [] }
        switch state {
        case .idle, .writing, .lingering:
            state = .closed
            return [.close]
        case .readingHead:
            return reject(.requestTimeout("The request header was not received in time."), now: now)
        case .readingBody:
            return reject(.requestTimeout("The request body was not received in time."), now: now)
        case .handling, .closed:
            return []
        }
    }

    /// Server shutdown: idle connections close now; a request in progress gets its answer with `Connection: close`.
    public mutating func beginDraining(now: MonotonicInstant) -> [HTTPConnectionAction] {
        draining = true
        if case .idle = state, inbound.isEmpty {
            state = .closed
            return [.close]
        }
        return []
    }

    /// The I/O side closed the socket (error, hang-up, shutdown).
    public mutating func closed() {
        state = .closed
    }

    // MARK: Parsing

    private var wantsReadIgnoringEOF: Bool {
        switch state {
        case .idle, .readingHead, .readingBody: return true
        default: return false
        }
    }

    private mutating func processInbound(now: MonotonicInstant) -> [HTTPConnectionAction] {
        var pending: [UInt8] = []
        swap(&pending, &inbound)
        let (consumed, actions) = pending.withUnsafeBytes { process($0, now: now) }
        if consumed < pending.count {
            pending.removeFirst(consumed)
            inbound = pending
        }
        return actions
    }

    /// Feeds `input` to the parser until it needs more bytes, dispatches a request, or rejects.
    private mutating func process(_ input: UnsafeRawBufferPointer, now: MonotonicInstant) -> (Int, [HTTPConnectionAction]) {
        var index = 0
        var actions: [HTTPConnectionAction] = []
        var headJustCompleted = false
        while index < input.count || headJustCompleted {
            headJustCompleted = false
            if case .idle = state {
                // RFC-independent policy: the header clock starts at the request's first byte.
                state = .readingHead(deadline: now.adding(seconds: timeouts.header))
                currentHead = nil
            }
            let (consumed, event) = parser.parse(UnsafeRawBufferPointer(rebasing: input[index...]))
            index += consumed
            switch event {
            case .needMore:
                return (index, actions)
            case .head(let head):
                currentHead = head
                headJustCompleted = true
                if head.hasBody {
                    state = .readingBody(deadline: now.adding(seconds: timeouts.body))
                    // RFC 9110 10.1.1: only 1.1 clients get 100; skip it when the body is already arriving.
                    if head.expectsContinue && head.versionMinor >= 1 && index == input.count {
                        actions.append(.sendContinue)
                    }
                }
            case .request(var request):
                request.remoteAddress = remoteAddress
                state = .handling
                actions.append(.dispatch(request))
                return (index, actions)
            case .rejected(let rejection):
                actions.append(contentsOf: reject(rejection, now: now))
                return (input.count, actions)
            }
        }
        return (index, actions)
    }

    /// Every rejection goes through the application's error responder and closes the connection after the write.
    private mutating func reject(_ rejection: HTTPRejection, now: MonotonicInstant) -> [HTTPConnectionAction] {
        var response = errorResponder(rejection)
        if response.status < 400 { response.status = rejection.status }
        let isHEAD = currentHead?.isHEAD ?? false
        inbound = []
        state = .writing(close: true, deadline: now.adding(seconds: timeouts.idle))
        return [.send(response, HTTPResponseContext(isHEAD: isHEAD, close: true))]
    }
}
