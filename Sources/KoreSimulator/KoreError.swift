import HTTPServer
import JSONCore

/// An error answer in Kore.ai's format: `{"errors":[{"msg":"...","code":<status>}]}`, one entry per problem.
///
/// Kore.ai repeats the HTTP status as `code` in each entry; the simulator does the same so the gateway's mapping of
/// upstream errors sees the real shape.
struct KoreError: Error, Sendable, Equatable {
    /// The HTTP status of the answer.
    var status: Int
    /// One message per problem, in the order they were found.
    var messages: [String]

    init(status: Int, message: String) {
        self.status = status
        self.messages = [message]
    }

    init(status: Int, messages: [String]) {
        self.status = status
        self.messages = messages
    }

    /// The error body as JSON.
    var body: JSONValue {
        let entries = messages.map { message -> JSONValue in
            .object(["msg": .string(message), "code": .int(status)])
        }
        return .object(["errors": .array(entries)])
    }

    /// The complete HTTP answer.
    var response: HTTPResponse {
        Self.jsonResponse(status: status, body: body)
    }

    /// A JSON answer with Kore.ai's content type; shared by success and error paths so they cannot drift apart.
    static func jsonResponse(status: Int, body: JSONValue, headers extra: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/json; charset=utf-8")])
        for (name, value) in extra { headers.add(name, value) }
        return HTTPResponse(status: status, headers: headers, body: JSONWriter.write(body))
    }

    // MARK: The causes, named once so tests and handlers agree on them.

    static func unauthorized(_ reason: String) -> KoreError { KoreError(status: 401, message: reason) }
    static func badRequest(_ reason: String) -> KoreError { KoreError(status: 400, message: reason) }
    static let notFound = KoreError(status: 404, message: "Campaign not found")
    static let routeNotFound = KoreError(status: 404, message: "Requested resource not found")

    /// Kore.ai's documented message past 60 requests per minute per account. Whether Kore.ai sends `Retry-After` is
    /// not documented; the simulator sends the seconds until the window has room, which a client can only use.
    static func rateLimited(retryAfterSeconds: Int) -> HTTPResponse {
        var response = KoreError(status: 429, message: "You've exceeded the per-minute rate limit. Please wait for sometime before retrying.").response
        response.headers.replace("Retry-After", String(max(0, retryAfterSeconds)))
        return response
    }
}
