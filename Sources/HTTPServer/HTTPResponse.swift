/// A response a handler returns. The server adds `Content-Length`, `Date`, `Connection` and (for rejections) closes.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Written after `headers` (see `HTTPFinalFields`).
    public var finalFields = HTTPFinalFields()
    /// When true the server writes nothing and closes the connection: the handler declines to answer at all, as a
    /// proxy does when what it relays vanished mid-answer.
    public private(set) var abortsConnection: Bool = false

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The answer that is no answer: the server closes the connection without writing anything.
    public static var abortConnection: HTTPResponse {
        var response = HTTPResponse(status: 0)
        response.abortsConnection = true
        return response
    }
}

/// The application behind the server.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPResponse

    /// Starts on `request` synchronously, on the loop thread, when the server runs handlers on its loops
    /// (`runsHandlersOnEventLoop`): an answer known without waiting (health, a refusal, a dry run) is returned as
    /// `.answered` and no task is created for it; work that must wait is returned as `.pending`, which the server runs
    /// as the request's task. Must do what `handle` does, and must never block. The default, nil, runs `handle` as
    /// the task.
    func start(_ request: HTTPRequest) -> HTTPHandlerStart?
}

extension HTTPHandler {
    public func start(_ request: HTTPRequest) -> HTTPHandlerStart? { nil }
}

/// How a handler started on a request (`HTTPHandler.start`).
public enum HTTPHandlerStart: Sendable {
    /// The answer, made without suspending.
    case answered(HTTPResponse)
    /// The rest of the work, run as the request's task; its result is the answer.
    case pending(Rest)

    /// `nonisolated(nonsending)`: the rest runs on the executor of the request's task (its connection's loop)
    /// without a switch to the generic executor on entry and after every call it awaits.
    public typealias Rest = nonisolated(nonsending) @Sendable () async -> HTTPResponse
}

/// Why the server refused a request before any handler saw it. The application turns it into its own error shape
/// (see `HTTPServer.init(errorResponder:)`); the server then sends it with `Connection: close` and closes.
public struct HTTPRejection: Sendable, Equatable, Error {
    /// 400, 408, 413, 414, 431, 501, 505, 503 (connection cap) ...
    public var status: Int
    /// A stable machine-readable cause, e.g. `bad_request`, `header_too_large`, `body_too_large`.
    public var code: String
    /// One sentence for the caller.
    public var detail: String

    public init(status: Int, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }
}
