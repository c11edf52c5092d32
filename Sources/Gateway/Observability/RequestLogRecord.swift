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
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        func string(_ name: StaticString, _ value: String) {
            key(name)
            JSONWriter.appendString(value, to: &out)
        }
        // Numbers and the time go in as bytes: no String per field for text that needs no escaping.
        func integer(_ name: StaticString, _ value: Int) {
            key(name)
            LogTime.appendInteger(value, to: &out)
        }
        func milliseconds(_ name: StaticString, _ seconds: Double) {
            key(name)
            LogTime.appendMilliseconds(seconds, to: &out)
        }
        key("time")
        out.append(UInt8(ascii: "\""))
        time.appendISO8601(to: &out)
        out.append(UInt8(ascii: "\""))
        string("level", status >= 500 ? "error" : (status >= 400 ? "warn" : "info"))
        string("event", "request")
        string("requestId", requestId)
        if let traceId { string("traceId", traceId) }
        if let spanId { string("spanId", spanId) }
        string("method", method)
        string("route", route)
        integer("status", status)
        if let client { string("client", client) }
        if let tenant { string("tenant", tenant) }
        if let operation { string("operation", operation) }
        if let campaignType { string("type", campaignType) }
        if let campaignId { string("campaignId", campaignId) }
        if let upstreamVersion { string("upstreamVersion", upstreamVersion) }
        if let upstreamStatus { integer("upstreamStatus", upstreamStatus) }
        if let upstreamAttempts { integer("upstreamAttempts", upstreamAttempts) }
        if let readFirstStatus { integer("readFirstStatus", readFirstStatus) }
        if let errorCode { string("code", errorCode) }
        if dryRun {
            key("dryRun")
            out.append(contentsOf: "true".utf8)
        }
        if idempotentReplay {
            key("idempotentReplay")
            out.append(contentsOf: "true".utf8)
        }
        let upstream = upstreamSeconds ?? 0
        milliseconds("durationMs", gatewaySeconds)
        milliseconds("gatewayMs", max(0, gatewaySeconds - upstream))
        if upstreamSeconds != nil { milliseconds("upstreamMs", upstream) }
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
        var out: [UInt8] = []
        appendMilliseconds(seconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `12.345`: milliseconds with three decimals (microseconds), the text `milliseconds` returns.
    static func appendMilliseconds(_ seconds: Double, to out: inout [UInt8]) {
        let scaled = (seconds * 1_000_000).rounded()
        // A duration is never near Int's range; should a clock misbehave, the line stays valid JSON.
        let micros = scaled.isFinite && abs(scaled) < 9e15 ? Int(scaled) : 0
        let whole = micros / 1000, frac = micros % 1000
        appendInteger(whole, to: &out)
        out.append(UInt8(ascii: "."))
        if frac < 0 {
            // As String(frac) spelled it before: "-5" padded to three characters.
            let text = String(frac)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, 3 - text.utf8.count)))
            out.append(contentsOf: text.utf8)
            return
        }
        out.append(UInt8(ascii: "0") + UInt8(frac / 100))
        out.append(UInt8(ascii: "0") + UInt8(frac / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(frac % 10))
    }

    /// The decimal text of `value` (as `String(value)` spells it) appended without a String in between.
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
