import Foundation
import JSONCore

/// The fields of one request's log line. Never secrets, keys or tokens: there is no field for them.
public struct RequestLogRecord: Sendable {
    public var requestId: String
    public var method: String
    public var route: String
    public var status: Int = 0
    public var client: String?
    public var tenant: String?
    public var campaignType: String?
    public var campaignId: String?
    public var upstreamVersion: String?
    public var upstreamStatus: Int?
    public var upstreamAttempts: Int?
    public var errorCode: String?
    public var gatewaySeconds: Double = 0
    public var upstreamSeconds: Double?
    public var dryRun = false
    /// The operation (`get`, `update`, `start`, ...), once the route and method matched one.
    public var operation: String?
    /// A write's own call reached Kore.ai (not only a read before it): the request is audited.
    public var writeReachedUpstream = false

    public init(requestId: String, method: String, route: String) {
        self.requestId = requestId
        self.method = method
        self.route = route
    }

    public func json(time: Date = Date()) -> JSONValue {
        var o: JSONObject = [
            "time": .string(LogTime.iso8601(time)),
            "level": .string(status >= 500 ? "error" : (status >= 400 ? "warn" : "info")),
            "event": .string("request"),
            "requestId": .string(requestId),
            "method": .string(method),
            "route": .string(route),
            "status": .int(status),
        ]
        if let client { o["client"] = .string(client) }
        if let tenant { o["tenant"] = .string(tenant) }
        if let operation { o["operation"] = .string(operation) }
        if let campaignType { o["type"] = .string(campaignType) }
        if let campaignId { o["campaignId"] = .string(campaignId) }
        if let upstreamVersion { o["upstreamVersion"] = .string(upstreamVersion) }
        if let upstreamStatus { o["upstreamStatus"] = .int(upstreamStatus) }
        if let upstreamAttempts { o["upstreamAttempts"] = .int(upstreamAttempts) }
        if let errorCode { o["code"] = .string(errorCode) }
        if dryRun { o["dryRun"] = .bool(true) }
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

    static func iso8601(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = Int((date.timeIntervalSince1970 - Double(t)) * 1000)
        func pad(_ n: Int32, _ width: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(millis), 3))Z"
    }
}
