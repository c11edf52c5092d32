import HTTPServer
import JSONCore

/// A way the simulator can be told to misbehave, so the gateway's fault handling can be tested end to end.
///
/// Latency is independent of the others: a call can be both slow and failing (see `KoreSimulator.inject`).
public enum SimulatedFault: Sendable, Equatable {
    /// Answer normally, after a delay.
    case latency(milliseconds: Int)
    /// Answer this HTTP status with Kore.ai's error body `{"errors":[{"msg":...,"code":...}]}`.
    case status(Int)
    /// Answer this HTTP status with Kore.ai's other error body `{"status":"failure","message":"..."}`.
    case failureEnvelope(Int)
    /// Answer 429 with a `Retry-After` header, as Kore.ai does past 60 requests per minute per account.
    case rateLimited(retryAfterSeconds: Int)
    /// Read the request, then close the connection without answering (`HTTPResponse.abortConnection`).
    case dropConnection
    /// Answer 200 with a body that is not JSON (an HTML page, as a misconfigured proxy in front of Kore.ai would send).
    case garbageBody

    /// True for the fault that only delays the answer; every other fault replaces it.
    var isLatency: Bool {
        if case .latency = self { return true } else { return false }
    }

    /// The answer that replaces the normal one, or nil for latency (which only delays it).
    ///
    /// The store is not touched by a replaced call: the simulated failure happens before Kore.ai's application would
    /// have acted, which keeps "did the delete happen?" answerable in tests (a real dropped connection is ambiguous).
    var replacementResponse: HTTPResponse? {
        switch self {
        case .latency:
            return nil
        case .status(let status):
            return KoreError(status: status, message: Self.statusMessage(status)).response
        case .failureEnvelope(let status):
            let body: JSONValue = .object([
                "status": .string("failure"),
                "message": .string("Simulated failure: the request could not be processed"),
            ])
            return KoreError.jsonResponse(status: status, body: body)
        case .rateLimited(let seconds):
            return KoreError.rateLimited(retryAfterSeconds: seconds)
        case .dropConnection:
            return .abortConnection
        case .garbageBody:
            let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n"
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(page.utf8))
        }
    }

    /// A message in the spirit of Kore.ai's, so logs of a failing test read naturally.
    private static func statusMessage(_ status: Int) -> String {
        switch status {
        case 400: return "Bad request (simulated)"
        case 401: return "Unauthorized (simulated)"
        case 403: return "Forbidden (simulated)"
        case 404: return "Not found (simulated)"
        case 409: return "Conflict (simulated)"
        case 503: return "Service unavailable (simulated)"
        case 500...599: return "Internal server error (simulated)"
        default: return "Simulated error \(status)"
        }
    }
}
