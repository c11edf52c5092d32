import Transport

/// One request from start to answer on one loop: its deadline for the whole exchange, the connection it gets from
/// the pool, and the retry rule.
///
/// The deadline: while the request is on a connection, the connection's timer watches it (a pooled connection keeps
/// one timer armed across requests); while it waits for a connection (being set up, or queued behind the pool's cap)
/// the exchange arms a loop timer of its own.
///
/// The retry rule: a request is sent again, on a fresh connection, only when none of its bytes were written (a
/// pooled connection found closed under it) or when it is a GET/HEAD/OPTIONS whose reused connection died before
/// any answer byte. A DELETE, PUT or POST whose bytes were written is never sent again: the server may have acted.
final class Exchange {
    let request: HTTPClientRequest
    let pool: HostPool
    var key: PoolKey { pool.key }
    let bytes: [UInt8]
    private let owner: ClientLoop
    /// The awaiting caller, resumed exactly once (`finish` takes it first). Held directly rather than in a closure
    /// around it, whose context was an allocation per request.
    private var continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>?
    private var deadline = MonotonicInstant(nanoseconds: 0)
    /// The exchange's own timer, armed only while it waits for a connection.
    private var deadlineTimer: TimerID?
    private var connection: ClientConnection?
    /// The connection being set up for this exchange (closed if the exchange ends first).
    var establishing: ClientConnection?
    /// In its pool's `waiting` list (set and cleared by `ClientLoop`): only then does finishing look the pool up.
    var isWaiting = false
    private var resends = 0
    private static let maxResends = 2

    var isFinished: Bool { continuation == nil }
    /// Whether the connection carrying the request came from the pool.
    private var reused = false

    init(request: HTTPClientRequest, pool: HostPool, bytes: [UInt8], owner: ClientLoop,
         continuation: UnsafeContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>) {
        self.request = request
        self.pool = pool
        self.bytes = bytes
        self.owner = owner
        self.continuation = continuation
    }

    func start(timeoutSeconds: Double) {
        owner.loop.assertInEventLoop()
        deadline = MonotonicInstant.now().adding(seconds: timeoutSeconds)
        acquireConnection(fresh: false)
    }

    /// A connection from the pool, a new one, or a place in the queue; in the last two cases the exchange's own
    /// timer bounds the wait.
    private func acquireConnection(fresh: Bool) {
        owner.acquire(for: self, fresh: fresh)
        guard !isFinished, connection == nil, deadlineTimer == nil else { return }
        deadlineTimer = owner.loop.scheduleTimer(at: deadline) { [self] in
            deadlineTimer = nil
            finish(.failure(.timeout))
        }
    }

    func established(_ connection: ClientConnection, error: HTTPClientError?) {
        establishing = nil
        if isFinished { return connection.close() }
        if let error { return finish(.failure(error)) }
        attach(connection)
    }

    func attach(_ connection: ClientConnection) {
        guard !isFinished else {
            // Ended (deadline) while queued for this connection: it stays usable for others.
            return owner.release(connection)
        }
        self.connection = connection
        reused = connection.completedRequests > 0
        connection.send(bytes, method: request.method, limits: owner.shared.configuration.limits, deadline: deadline, for: self)
    }

    /// How the request on `connection` ended (the connection calls this once per `send`).
    func requestEnded(_ end: ClientConnection.RequestEnd, on connection: ClientConnection) {
        self.connection = nil
        switch end {
        case .response(let response, let reusable):
            if reusable { owner.release(connection) }
            finish(.success(response))
        case .failedBeforeWrite(let detail):
            // Nothing was written: certainly not delivered, whatever the method.
            if resends < Self.maxResends {
                resends += 1
                return acquireConnection(fresh: true)
            }
            finish(.failure(.unavailable(detail)))
        case .lostAfterWrite(let detail, let answered):
            if reused && !answered && request.mayResendAfterWrite && resends < Self.maxResends {
                resends += 1
                return acquireConnection(fresh: true)
            }
            finish(.failure(.connectionLost(detail)))
        case .badAnswer(let failure):
            finish(.failure(Self.map(failure, host: key.target.hostHeader)))
        case .deadlinePassed:
            finish(.failure(.timeout))
        }
    }

    /// Ends the exchange once; whatever it held is closed (a connection mid-request cannot be reused).
    func finish(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        guard let continuation else { return }
        self.continuation = nil
        if let deadlineTimer { owner.loop.cancelTimer(deadlineTimer) }
        deadlineTimer = nil
        if let connection { connection.close() }
        connection = nil
        if let establishing { establishing.close() }
        establishing = nil
        if isWaiting { owner.forgetWaiter(self) }
        continuation.resume(returning: result)
    }

    static func map(_ failure: HTTPResponseParser.Failure, host: String) -> HTTPClientError {
        switch failure {
        case .bodyTooLarge(let size): return .responseTooLarge(size)
        case .truncated: return .connectionLost("\(host) closed the connection in the middle of its answer")
        case .headTooLarge(let limit): return .badResponse("the answer's head exceeds \(limit) bytes")
        case .unsupportedContentEncoding(let coding): return .badResponse("the answer is encoded (\(coding)), which is not read")
        case .malformed(let detail): return .badResponse("the answer is not valid HTTP/1.1: \(detail)")
        }
    }
}
