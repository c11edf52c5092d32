import JSONCore

/// The fields of one request's log line. Never secrets, keys or tokens: there is no field for them.
public struct RequestLogRecord: Sendable {
    public var requestId: String {
        didSet { plainIdAndRoute = false }
    }
    /// W3C trace id and the gateway's span id (`TraceContext`): `trace`'s unless set here.
    public var traceId: String? {
        get { traceIdSet ? storedTraceId : trace?.traceId }
        set { storedTraceId = newValue; traceIdSet = true }
    }
    public var spanId: String? {
        get { spanIdSet ? storedSpanId : trace?.spanId }
        set { storedSpanId = newValue; spanIdSet = true }
    }
    /// The request's trace context: the line copies its ids' digits without making strings of them.
    var trace: TraceContext?
    private var storedTraceId: String?
    private var storedSpanId: String?
    private var traceIdSet = false
    private var spanIdSet = false
    public var method: String
    public var route: String {
        didSet { plainIdAndRoute = false }
    }
    /// `requestId` and `route` are the handler's own and need no escaping: a request id that `RequestID` checked to
    /// be 1-128 of `[A-Za-z0-9._:-]` or made as hex, a route label (a template or a fixed path). The line copies them
    /// without the escaper's scan; set only by `init(handlerRequestId:method:route:)`, cleared when either changes.
    private var plainIdAndRoute = false
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

    /// The handler's record: `requestId` comes from `RequestID.from` and `route` from the handler's route labels,
    /// so neither needs escaping in the line (see `plainIdAndRoute`).
    init(handlerRequestId requestId: String, method: String, route: String) {
        self.requestId = requestId
        self.method = method
        self.route = route
        plainIdAndRoute = true
    }

    /// The log line, newline included, written straight to bytes: the same text as `JSONWriter.write(json(time:))`
    /// without building the object first (this runs for every request). The buffer is sized once for the longest
    /// line these fields can make (`lineCapacity`), so each field is a write into it, not an append.
    public func line(time: WallClockTime = .now()) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: lineCapacity) { out, count in
            count = writeLine(into: out, time: time)
        }
    }

    /// The most bytes `writeLine` can write for these fields (every string byte escaped).
    var lineCapacity: Int {
        func length(_ text: String?) -> Int { text?.utf8.count ?? 0 }
        // The ids of `trace` counted without making strings of them.
        let traceIds = (traceIdSet ? length(storedTraceId) : (trace?.idByteCounts.traceId ?? 0))
            + (spanIdSet ? length(storedSpanId) : (trace?.idByteCounts.spanId ?? 0))
        let strings = requestId.utf8.count + method.utf8.count + route.utf8.count + traceIds
            + length(client) + length(tenant) + length(campaignType) + length(campaignId) + length(upstreamVersion)
            + length(errorCode) + length(operation)
        // Everything but the strings' contents fits in 533 bytes: the 24 keys with their punctuation (299), the time
        // (26), the constant values (24), the quotes of 12 strings (24), four integers (80), three durations (78)
        // and the closing `}\n`. Each string byte escapes to at most 6.
        return 640 + 6 * strings
    }

    /// Writes the line into `out`, which has room for `lineCapacity` bytes, and returns how many it wrote: the log
    /// sink writes it straight into the bytes waiting for its writer thread.
    func writeLine(into out: UnsafeMutableBufferPointer<UInt8>, time: WallClockTime) -> Int {
        var w = LogLineWriter(out: out)
        w.raw("{\"time\":\"")
        time.writeISO8601(into: out, at: &w.index)
        // The time's closing quote, the level and the event in one constant.
        w.raw(status >= 500 ? "\",\"level\":\"error\",\"event\":\"request\""
              : (status >= 400 ? "\",\"level\":\"warn\",\"event\":\"request\"" : "\",\"level\":\"info\",\"event\":\"request\""))
        if plainIdAndRoute { w.plainString(",\"requestId\":", requestId) } else { w.string(",\"requestId\":", requestId) }
        if traceIdSet || spanIdSet || trace == nil {
            if let traceId { w.string(",\"traceId\":", traceId) }
            if let spanId { w.string(",\"spanId\":", spanId) }
        } else if let trace {
            trace.withIdBytes { traceId, spanId, hex in
                if hex {
                    w.plainString(",\"traceId\":", utf8: traceId)
                    w.plainString(",\"spanId\":", utf8: spanId)
                } else {
                    w.string(",\"traceId\":", utf8: traceId)
                    w.string(",\"spanId\":", utf8: spanId)
                }
            }
        }
        // The methods a request usually has as constants (each is its own JSON text); any other escaped.
        switch method {
        case "GET": w.raw(",\"method\":\"GET\"")
        case "HEAD": w.raw(",\"method\":\"HEAD\"")
        case "PUT": w.raw(",\"method\":\"PUT\"")
        case "DELETE": w.raw(",\"method\":\"DELETE\"")
        case "POST": w.raw(",\"method\":\"POST\"")
        default: w.string(",\"method\":", method)
        }
        if plainIdAndRoute { w.plainString(",\"route\":", route) } else { w.string(",\"route\":", route) }
        w.integer(",\"status\":", status)
        if let client { w.string(",\"client\":", client) }
        if let tenant { w.string(",\"tenant\":", tenant) }
        if let operation { w.string(",\"operation\":", operation) }
        if let campaignType { w.string(",\"type\":", campaignType) }
        if let campaignId { w.string(",\"campaignId\":", campaignId) }
        if let upstreamVersion { w.string(",\"upstreamVersion\":", upstreamVersion) }
        if let upstreamStatus { w.integer(",\"upstreamStatus\":", upstreamStatus) }
        if let upstreamAttempts { w.integer(",\"upstreamAttempts\":", upstreamAttempts) }
        if let readFirstStatus { w.integer(",\"readFirstStatus\":", readFirstStatus) }
        if let errorCode { w.string(",\"code\":", errorCode) }
        if dryRun { w.raw(",\"dryRun\":true") }
        if idempotentReplay { w.raw(",\"idempotentReplay\":true") }
        let upstream = upstreamSeconds ?? 0
        w.milliseconds(",\"durationMs\":", gatewaySeconds)
        w.milliseconds(",\"gatewayMs\":", max(0, gatewaySeconds - upstream))
        if upstreamSeconds != nil { w.milliseconds(",\"upstreamMs\":", upstream) }
        w.byte(UInt8(ascii: "}"))
        w.byte(0x0A)
        return w.index
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
