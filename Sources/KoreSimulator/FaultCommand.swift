import JSONCore

/// A `POST /__sim/faults` body: which fault, its parameters and for how many calls.
///
/// `{"fault":"status","status":500,"count":1}`, `{"fault":"latency","milliseconds":300}`,
/// `{"fault":"rateLimited","retryAfterSeconds":7}`, `{"fault":"dropConnection"}`, `{"fault":"garbageBody"}`,
/// `{"fault":"failureEnvelope","status":400}`. `count` absent = 1 (as `inject`'s default); `"count": null` = until cleared.
struct FaultCommand: Sendable, Equatable {
    /// The longest latency accepted, so a typo cannot park a connection for hours.
    static let maxLatencyMilliseconds = 600_000

    var fault: SimulatedFault
    var count: Int?

    /// Parses a command, or returns the message for a 400.
    static func parse(_ bytes: [UInt8]) -> Result<FaultCommand, KoreError> {
        guard case .object(let object)? = try? JSONReader.parse(bytes) else {
            return .failure(.badRequest("Body must be a JSON object such as {\"fault\":\"status\",\"status\":500}"))
        }
        let count: Int?
        switch object["count"] {
        case nil: count = 1
        case .null?: count = nil
        case let value?:
            guard let n = value.intValue, n >= 1 else { return .failure(.badRequest("count must be a positive integer or null")) }
            count = n
        }
        switch fault(from: object) {
        case .success(let fault): return .success(FaultCommand(fault: fault, count: count))
        case .failure(let error): return .failure(error)
        }
    }

    private static func fault(from object: JSONObject) -> Result<SimulatedFault, KoreError> {
        switch object["fault"]?.stringValue {
        case "latency":
            guard let ms = object["milliseconds"]?.intValue, (0...maxLatencyMilliseconds).contains(ms) else {
                return .failure(.badRequest("latency needs milliseconds from 0 to \(maxLatencyMilliseconds)"))
            }
            return .success(.latency(milliseconds: ms))
        case "status":
            return status(in: object).map { .status($0) }
        case "failureEnvelope":
            return status(in: object).map { .failureEnvelope($0) }
        case "rateLimited":
            let seconds = object["retryAfterSeconds"]?.intValue ?? 1
            guard seconds >= 0 else { return .failure(.badRequest("retryAfterSeconds must not be negative")) }
            return .success(.rateLimited(retryAfterSeconds: seconds))
        case "dropConnection":
            return .success(.dropConnection)
        case "garbageBody":
            return .success(.garbageBody)
        default:
            return .failure(.badRequest(
                "fault must be one of latency, status, failureEnvelope, rateLimited, dropConnection, garbageBody"))
        }
    }

    /// The `status` member: an error status a server can send (400...599).
    private static func status(in object: JSONObject) -> Result<Int, KoreError> {
        guard let status = object["status"]?.intValue, (400...599).contains(status) else {
            return .failure(.badRequest("status must be an integer from 400 to 599"))
        }
        return .success(status)
    }

    /// The fault as JSON, the same shape the command is given in (for `GET /__sim/faults`).
    static func json(_ fault: SimulatedFault, remaining: Int?) -> JSONValue {
        var object = JSONObject()
        switch fault {
        case .latency(let ms):
            object["fault"] = .string("latency")
            object["milliseconds"] = .int(ms)
        case .status(let status):
            object["fault"] = .string("status")
            object["status"] = .int(status)
        case .failureEnvelope(let status):
            object["fault"] = .string("failureEnvelope")
            object["status"] = .int(status)
        case .rateLimited(let seconds):
            object["fault"] = .string("rateLimited")
            object["retryAfterSeconds"] = .int(seconds)
        case .dropConnection:
            object["fault"] = .string("dropConnection")
        case .garbageBody:
            object["fault"] = .string("garbageBody")
        }
        object["count"] = remaining.map { .int($0) } ?? .null
        return .object(object)
    }
}
