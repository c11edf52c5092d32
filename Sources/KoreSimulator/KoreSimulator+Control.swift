import HTTPServer
import JSONCore

/// The control API under `/__sim/`, so a test driving an out-of-process `kore-sim` can do what in-process tests do
/// with `inject`, `clearFaults`, `reset` and `calls`.
///
/// | Route | Effect |
/// |---|---|
/// | `POST /__sim/faults` | queue a fault (body: see `FaultCommand`) |
/// | `GET /__sim/faults` | the pending faults |
/// | `DELETE /__sim/faults` | clear every fault |
/// | `POST /__sim/reset` | seeds back, faults, calls and jtis cleared |
/// | `GET /__sim/calls` | the call log as a JSON array (`receivedAt`: monotonic seconds), `auth` values redacted |
/// | `GET /__sim/health` | liveness |
extension KoreSimulator {
    /// The value shown instead of an `auth` header's token: the log must never hand out a usable credential.
    static let redacted = "[redacted]"

    func handleControl(_ request: HTTPRequest) -> HTTPResponse {
        let route = String(request.path.dropFirst(Self.controlPrefix.count))
        let allowed: [String]
        switch route {
        case "faults": allowed = ["GET", "POST", "DELETE"]
        case "reset": allowed = ["POST"]
        case "calls", "health": allowed = ["GET"]
        default: return KoreError(status: 404, message: "Unknown simulator control route").response
        }
        guard allowed.contains(request.method) else {
            var response = KoreError(status: 405, message: "Method \(request.method) is not allowed here").response
            response.headers.replace("Allow", allowed.joined(separator: ", "))
            return response
        }
        switch (request.method, route) {
        case ("POST", "faults"):
            switch FaultCommand.parse(request.body) {
            case .success(let command):
                inject(command.fault, count: command.count)
                return ok(["status": .string("ok"), "fault": FaultCommand.json(command.fault, remaining: command.count)])
            case .failure(let error):
                return error.response
            }
        case ("GET", "faults"):
            let pending = withState { state in state.faults.pending.map { FaultCommand.json($0.fault, remaining: $0.remaining) } }
            return KoreError.jsonResponse(status: 200, body: .array(pending))
        case ("DELETE", "faults"):
            clearFaults()
            return ok(["status": .string("ok")])
        case ("POST", "reset"):
            reset()
            return ok(["status": .string("ok")])
        case ("GET", "calls"):
            return KoreError.jsonResponse(status: 200, body: .array(calls.map(Self.json)))
        default:
            return ok(["status": .string("ok"), "callCount": .int(callCount)])
        }
    }

    private func ok(_ object: JSONObject) -> HTTPResponse {
        KoreError.jsonResponse(status: 200, body: .object(object))
    }

    /// One call as the control API shows it. The body is included when it is UTF-8 text (campaign bodies are JSON).
    static func json(_ call: SimulatedCall) -> JSONValue {
        let headers = call.headers.map { name, value -> JSONValue in
            let shown = name.lowercasedASCIIEquals("auth") || name.lowercasedASCIIEquals("authorization") ? redacted : value
            return .array([.string(name), .string(shown)])
        }
        return .object([
            "method": .string(call.method),
            "path": .string(call.path),
            "query": call.query.map { .string($0) } ?? .null,
            "headers": .array(headers),
            "body": String(validating: call.body, as: UTF8.self).map { .string($0) } ?? .null,
            "status": .int(call.responseStatus),
            // When it arrived, on the clock Kore.ai's limit is counted on: a test or an operator can count the calls
            // of any 60 s window out of process.
            "receivedAt": .number(String(call.receivedAt)),
        ])
    }
}
