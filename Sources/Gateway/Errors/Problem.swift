import HTTPServer
import JSONCore

/// One error, in the single `application/problem+json` shape (RFC 9457) used for every failure the gateway reports.
public struct Problem: Error, Sendable {
    public var code: ProblemCode
    public var detail: String
    /// Overrides `code.status` where one code covers two statuses (503 while the circuit is open, 409 passthrough).
    public var status: Int?
    public var retryable: Bool?
    public var fieldErrors: [(field: String, message: String)] = []
    /// `{"version": "v2", "status": 400, "errors": [...]}` when Kore.ai answered.
    public var upstream: JSONValue?
    public var headers: HTTPHeaders = HTTPHeaders()

    public init(_ code: ProblemCode, _ detail: String, status: Int? = nil, retryable: Bool? = nil) {
        self.code = code
        self.detail = detail
        self.status = status
        self.retryable = retryable
    }

    public var httpStatus: Int { status ?? code.status }

    public func body(requestId: String?) -> [UInt8] {
        var object: JSONObject = [
            "type": .string(code.typeURI),
            "title": .string(code.title),
            "status": .int(httpStatus),
            "code": .string(code.rawValue),
            "detail": .string(detail),
        ]
        if let requestId { object["requestId"] = .string(requestId) }
        object["retryable"] = .bool(retryable ?? code.retryable)
        if !fieldErrors.isEmpty {
            object["errors"] = .array(fieldErrors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        if let upstream { object["upstream"] = upstream }
        return JSONWriter.write(.object(object))
    }

    public func response(requestId: String?) -> HTTPResponse {
        var headers = self.headers
        headers.replace("Content-Type", "application/problem+json")
        headers.replace("Cache-Control", "no-store")
        if let requestId { headers.replace("X-Request-Id", requestId) }
        return HTTPResponse(status: httpStatus, headers: headers, body: body(requestId: requestId))
    }
}
