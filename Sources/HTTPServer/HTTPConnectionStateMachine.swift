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
    /// Handed to the handler with every request of this connection.
    private let memo = HTTPConnectionMemo()
    /// Received bytes not yet consumed by the parser (only ever non-empty while a request is handled or pipelined).
    private var inbound: [UInt8] = []
    /// What the answer to the current request needs of its head (not the head itself: its strings and fields
    /// would be copied in and destroyed for every request).
    private var currentHead: HeadFacts?
    private var eofReceived = false
    private var draining = false
    private var pendingRejection: HTTPRejection?
    /// The payloads of the last `dispatch` and `send` actions, until the connection takes them.
    private var dispatchedRequest: HTTPRequest?
    private var responseToSend: (response: HTTPResponse, context: HTTPResponseContext)?

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
    public mutating func start(now: MonotonicInstant) -> [HTTPConnectionAction] { list(startActions(now: now)) }

    public mutating func bytesReceived(_ bytes: UnsafeRawBufferPointer, now: MonotonicInstant) -> [HTTPConnectionAction] {
        list(bytesReceivedActions(bytes, now: now))
    }

    public mutating func bytesReceived(_ bytes: [UInt8], now: MonotonicInstant) -> [HTTPConnectionAction] {
        bytes.withUnsafeBytes { bytesReceived($0, now: now) }
    }

    /// The peer closed its sending side (read returned 0).
    public mutating func endOfInput(now: MonotonicInstant) -> [HTTPConnectionAction] { list(endOfInputActions(now: now)) }

    /// The application's answer to the dispatched request.
    public mutating func responseReady(_ response: HTTPResponse, now: MonotonicInstant) -> [HTTPConnectionAction] {
        list(responseReadyActions(response, now: now))
    }

    /// Everything queued so far has been handed to the kernel.
    public mutating func writeCompleted(now: MonotonicInstant) -> [HTTPConnectionAction] { list(writeCompletedActions(now: now)) }

    /// The I/O side's timer reached `deadline` (it may fire late; never early by the machine's own account).
    public mutating func timerFired(now: MonotonicInstant) -> [HTTPConnectionAction] { list(timerFiredActions(now: now)) }

    /// Server shutdown: idle connections close now; a request in progress gets its answer with `Connection: close`.
    public mutating func beginDraining(now: MonotonicInstant) -> [HTTPConnectionAction] { list(beginDrainingActions(now: now)) }

    /// The actions with their payloads, as the public API returns them.
    private mutating func list(_ actions: HTTPConnectionActions) -> [HTTPConnectionAction] {
        var out: [HTTPConnectionAction] = []
        for index in 0..<actions.count {
            switch actions[index] {
            case .sendContinue: out.append(.sendContinue)
            case .dispatch: if let request = takeDispatchedRequest() { out.append(.dispatch(request)) }
            case .send: if let (response, context) = takeResponseToSend() { out.append(.send(response, context)) }
            case .shutdownWrite: out.append(.shutdownWrite)
            case .close: out.append(.close)
            case nil: break
            }
        }
        return out
    }

    /// The request of the `dispatch` action being executed.
    mutating func takeDispatchedRequest() -> HTTPRequest? {
        // Swapped out, not copied and then cleared: the request's strings are moved, not retained and released.
        var taken: HTTPRequest?
        swap(&taken, &dispatchedRequest)
        return taken
    }

    /// The response of the `send` action being executed.
    mutating func takeResponseToSend() -> (response: HTTPResponse, context: HTTPResponseContext)? {
        var taken: (response: HTTPResponse, context: HTTPResponseContext)?
        swap(&taken, &responseToSend)
        return taken
    }

    // MARK: Inputs (the connection's entry points: the same, with the payloads kept in the machine)

    mutating func startActions(now: MonotonicInstant) -> HTTPConnectionActions {
        guard let rejection = pendingRejection else { return .none }
        pendingRejection = nil
        return reject(rejection, now: now)
    }

    mutating func bytesReceivedActions(_ bytes: UnsafeRawBufferPointer, now: MonotonicInstant) -> HTTPConnectionActions {
        switch state {
        case .closed, .lingering:
            return .none
        case .handling, .writing:
            // Read before the I/O side noticed it should stop: keep the bytes for later, in order.
            inbound.append(contentsOf: bytes)
            return .none
        case .idle, .readingHead, .readingBody:
            if inbound.isEmpty {
                // Common case: parse straight from the read buffer and keep only what is left over.
                var actions = HTTPConnectionActions()
                let consumed = process(bytes, now: now, into: &actions)
                if consumed < bytes.count { inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[consumed...])) }
                return actions
            }
            inbound.append(contentsOf: bytes)
            var actions = HTTPConnectionActions()
            processInbound(now: now, into: &actions)
            return actions
        }
    }

    mutating func endOfInputActions(now: MonotonicInstant) -> HTTPConnectionActions {
        eofReceived = true
        switch state {
        case .idle, .readingHead, .readingBody, .lingering:
            // Nothing to answer (a half-sent request cannot be completed any more).
            state = .closed
            return HTTPConnectionActions(.close)
        case .handling, .writing, .closed:
            // Pending and already-buffered requests are still answered (half-close, RFC 9112 9.6).
            return .none
        }
    }

    /// `response` is consumed: it is moved into `responseToSend`, not copied.
    mutating func responseReadyActions(_ response: consuming HTTPResponse, now: MonotonicInstant) -> HTTPConnectionActions {
        guard case .handling = state, let head = currentHead else { return .none }
        if response.abortsConnection {
            // The application asked for a lost connection (the simulator's fault): nothing is written.
            state = .closed
            return HTTPConnectionActions(.close)
        }
        // A `close` element in a Connection field the handler set; read in place (no array of values, no split).
        let handlerCloses = response.headers.contains { field in
            field.name.utf8.count == 10 && field.name.lowercasedASCIIEquals("connection")
                && !HTTPFieldList.forEachElement(field.value) { !HTTPByteClass.equalsLowercase($0, "close") }
        }
        let noMoreInput = eofReceived && inbound.isEmpty
        let close = !head.keepAlive || draining || handlerCloses || noMoreInput
        state = .writing(close: close, deadline: now.adding(seconds: timeouts.idle))
        let context = HTTPResponseContext(isHEAD: head.isHEAD, close: close,
                                          confirmKeepAlive: !close && head.versionMinor == 0)
        responseToSend = (consume response, context)
        return HTTPConnectionActions(.send)
    }

    mutating func writeCompletedActions(now: MonotonicInstant) -> HTTPConnectionActions {
        guard case .writing(let close, _) = state else { return .none }
        currentHead = nil
        if close {
            if eofReceived {
                state = .closed
                return HTTPConnectionActions(.close)
            }
            state = .lingering(deadline: now.adding(seconds: timeouts.linger))
            return HTTPConnectionActions(.shutdownWrite)
        }
        state = .idle(deadline: now.adding(seconds: timeouts.idle))
        if draining && inbound.isEmpty {
            state = .closed
            return HTTPConnectionActions(.close)
        }
        var actions = HTTPConnectionActions()
        if !inbound.isEmpty { processInbound(now: now, into: &actions) }
        if eofReceived, wantsReadIgnoringEOF {
            // The buffered input ended inside a request (or with none): nothing more will come.
            state = .closed
            actions.append(.close)
        }
        return actions
    }

    mutating func timerFiredActions(now: MonotonicInstant) -> HTTPConnectionActions {
        guard let deadline, now >= deadline else { return .none }
        switch state {
        case .idle, .writing, .lingering:
            state = .closed
            return HTTPConnectionActions(.close)
        case .readingHead:
            return reject(.requestTimeout("The request header was not received in time."), now: now)
        case .readingBody:
            return reject(.requestTimeout("The request body was not received in time."), now: now)
        case .handling, .closed:
            return .none
        }
    }

    mutating func beginDrainingActions(now: MonotonicInstant) -> HTTPConnectionActions {
        draining = true
        if case .idle = state, inbound.isEmpty {
            state = .closed
            return HTTPConnectionActions(.close)
        }
        return .none
    }

    /// The I/O side closed the socket (error, hang-up, shutdown).
    public mutating func closed() {
        state = .closed
        dispatchedRequest = nil
        responseToSend = nil
    }

    // MARK: Parsing

    private var wantsReadIgnoringEOF: Bool {
        switch state {
        case .idle, .readingHead, .readingBody: return true
        default: return false
        }
    }

    private mutating func processInbound(now: MonotonicInstant, into actions: inout HTTPConnectionActions) {
        var pending: [UInt8] = []
        swap(&pending, &inbound)
        let consumed = pending.withUnsafeBytes { process($0, now: now, into: &actions) }
        if consumed < pending.count {
            pending.removeFirst(consumed)
            inbound = pending
        }
    }

    /// Feeds `input` to the parser until it needs more bytes, dispatches a request, or rejects; returns how many
    /// bytes it consumed.
    private mutating func process(_ input: UnsafeRawBufferPointer, now: MonotonicInstant,
                                  into actions: inout HTTPConnectionActions) -> Int {
        var index = 0
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
                return index
            case .head(let head):
                currentHead = HeadFacts(isHEAD: head.isHEAD, keepAlive: head.keepAlive, versionMinor: head.versionMinor)
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
                request.connectionMemo = memo
                state = .handling
                dispatchedRequest = request
                actions.append(.dispatch)
                return index
            case .rejected(let rejection):
                actions.append(contentsOf: reject(rejection, now: now))
                return input.count
            }
        }
        return index
    }

    /// Every rejection goes through the application's error responder and closes the connection after the write.
    private mutating func reject(_ rejection: HTTPRejection, now: MonotonicInstant) -> HTTPConnectionActions {
        var response = errorResponder(rejection)
        if response.status < 400 { response.status = rejection.status }
        let isHEAD = currentHead?.isHEAD ?? false
        inbound = []
        state = .writing(close: true, deadline: now.adding(seconds: timeouts.idle))
        responseToSend = (response, HTTPResponseContext(isHEAD: isHEAD, close: true))
        return HTTPConnectionActions(.send)
    }

    struct HeadFacts {
        var isHEAD: Bool
        var keepAlive: Bool
        var versionMinor: Int
    }
}
