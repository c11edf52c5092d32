import JSONCore

/// The fields of one request's log line. Never secrets, keys or tokens: there is no field for them.
public struct RequestLogRecord: Sendable {
    public var requestId: String
    /// W3C trace id and the gateway's span id (`TraceContext`).
    public var traceId: String?
    public var spanId: String?
    public var method: String
    public var route: String
    public var status: Int = 0
    public var client: String?
    public var tenant: String?
    public var campaignType: String?
    public var campaignId: String?
    public var upstreamVersion: String?
    /// The status of the last upstream call's answer: the operation's own call once it was made (nil when it got
    /// no answer), not the read before it.
    public var upstreamStatus: Int?
    /// Attempts of every upstream call of the request, the read first included.
    public var upstreamAttempts: Int?
    /// The read before a write (`If-Match`, a schedule's name), kept apart from the write's own call.
    public var readFirstStatus: Int?
    public var readFirstAttempts: Int?
    public var errorCode: String?
    public var gatewaySeconds: Double = 0
    public var upstreamSeconds: Double?
    public var dryRun = false
    /// The operation (`get`, `update`, `start`, ...), once the route and method matched one.
    public var operation: String?
    /// A write's own call reached Kore.ai (not only a read before it): the request is audited.
    public var writeReachedUpstream = false
    /// The answer is the one stored for its `Idempotency-Key`: nothing was sent to Kore.ai.
    public var idempotentReplay = false

    public init(requestId: String, method: String, route: String) {
        self.requestId = requestId
        self.method = method
        self.route = route
    }

    /// The log line, newline included, written straight to bytes: the same text as `JSONWriter.write(json(time:))`
    /// without building the object first (this runs for every request).
    public func line(time: WallClockTime = .now()) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        func string(_ name: StaticString, _ value: String) {
            key(name)
            JSONWriter.appendString(value, to: &out)
        }
        func raw(_ name: StaticString, _ text: String) {
            key(name)
            out.append(contentsOf: text.utf8)
        }
        string("time", time.iso8601)
        string("level", status >= 500 ? "error" : (status >= 400 ? "warn" : "info"))
        string("event", "request")
        string("requestId", requestId)
        if let traceId { string("traceId", traceId) }
        if let spanId { string("spanId", spanId) }
        string("method", method)
        string("route", route)
        raw("status", String(status))
        if let client { string("client", client) }
        if let tenant { string("tenant", tenant) }
        if let campaignType { string("type", campaignType) }
        if let campaignId { string("campaignId", campaignId) }
        if let upstreamVersion { string("upstreamVersion", upstreamVersion) }
        if let upstreamStatus { raw("upstreamStatus", String(upstreamStatus)) }
        if let upstreamAttempts { raw("upstreamAttempts", String(upstreamAttempts)) }
        if let readFirstStatus { raw("readFirstStatus", String(readFirstStatus)) }
        if let errorCode { string("code", errorCode) }
        if dryRun { raw("dryRun", "true") }
        if idempotentReplay { raw("idempotentReplay", "true") }
        let upstream = upstreamSeconds ?? 0
        raw("durationMs", LogTime.milliseconds(gatewaySeconds))
        raw("gatewayMs", LogTime.milliseconds(max(0, gatewaySeconds - upstream)))
        if upstreamSeconds != nil { raw("upstreamMs", LogTime.milliseconds(upstream)) }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// The log line as a JSON object (what `line` writes).
    public func json(time: WallClockTime = .now()) -> JSONValue {
        var o: JSONObject = [
            "time": .string(time.iso8601),
            "level": .string(status >= 500 ? "error" : (status >= 400 ? "warn" : "info")),
            "event": .string("request"),
            "requestId": .string(requestId),
        ]
        if let traceId { o["traceId"] = .string(traceId) }
        if let spanId { o["spanId"] = .string(spanId) }
        o["method"] = .string(method)
        o["route"] = .string(route)
        o["status"] = .int(status)
        if let client { o["client"] = .string(client) }
        if let tenant { o["tenant"] = .string(tenant) }
        if let operation { o["operation"] = .string(operation) }
        if let campaignType { o["type"] = .string(campaignType) }
        if let campaignId { o["campaignId"] = .string(campaignId) }
        if let upstreamVersion { o["upstreamVersion"] = .string(upstreamVersion) }
        if let upstreamStatus { o["upstreamStatus"] = .int(upstreamStatus) }
        if let upstreamAttempts { o["upstreamAttempts"] = .int(upstreamAttempts) }
        if let readFirstStatus { o["readFirstStatus"] = .int(readFirstStatus) }
        if let errorCode { o["code"] = .string(errorCode) }
        if dryRun { o["dryRun"] = .bool(true) }
        if idempotentReplay { o["idempotentReplay"] = .bool(true) }
        let upstream = upstreamSeconds ?? 0
        o["durationMs"] = .number(LogTime.milliseconds(gatewaySeconds))
        o["gatewayMs"] = .number(LogTime.milliseconds(max(0, gatewaySeconds - upstream)))
        if upstreamSeconds != nil { o["upstreamMs"] = .number(LogTime.milliseconds(upstream)) }
        return .object(o)
    }
}

enum LogTime {
    static func milliseconds(_ seconds: Double) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let whole = micros / 1000, frac = micros % 1000
        let fracText = String(frac)
        return "\(whole).\(String(repeating: "0", count: 3 - fracText.count))\(fracText)"
    }
}
