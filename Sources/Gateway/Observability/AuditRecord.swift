import JSONCore

/// What an audit line says: who did what to which campaign, when, through which tenant, and how it ended.
///
/// `upstreamStatus`, `upstreamAttempts` and `outcome` describe the write's own call. A read before it (`If-Match`, a
/// schedule's name) is under `readFirst`: its 200 says nothing about whether the write was applied.
enum AuditRecord {
    static func make(_ log: RequestLogRecord, operation: String, status: Int, time: WallClockTime = .now()) -> JSONValue {
        // What Kore.ai did, not what the caller was told: a 2xx with an unreadable body was still applied.
        let outcome: String
        switch log.upstreamStatus {
        case .some(200..<300): outcome = "succeeded"
        case .some(500...): outcome = "unknown"  // Kore.ai failed mid-way or not at all: the record does not guess
        case .some: outcome = "failed"
        case .none:
            let ambiguous = log.errorCode == ProblemCode.upstreamTimeout.rawValue || log.errorCode == ProblemCode.upstreamConnectionLost.rawValue
            outcome = ambiguous ? "unknown" : "failed"
        }
        var o: JSONObject = [
            "time": .string(time.iso8601),
            "requestId": .string(log.requestId),
            "traceId": log.traceId.map(JSONValue.string) ?? .null,
            "spanId": log.spanId.map(JSONValue.string) ?? .null,
            "client": log.client.map(JSONValue.string) ?? .null,
            "tenant": log.tenant.map(JSONValue.string) ?? .null,
            "operation": .string(operation),
            "type": log.campaignType.map(JSONValue.string) ?? .null,
            "campaignId": log.campaignId.map(JSONValue.string) ?? .null,
            "upstreamVersion": log.upstreamVersion.map(JSONValue.string) ?? .null,
            "upstreamStatus": log.upstreamStatus.map(JSONValue.int) ?? .null,
            "upstreamAttempts": .int(max(0, (log.upstreamAttempts ?? 0) - (log.readFirstAttempts ?? 0))),
            "status": .int(status),
            "outcome": .string(outcome),
        ]
        if let code = log.errorCode { o["code"] = .string(code) }
        if let attempts = log.readFirstAttempts {
            o["readFirst"] = .object(["upstreamStatus": log.readFirstStatus.map(JSONValue.int) ?? .null, "upstreamAttempts": .int(attempts)])
        }
        return .object(o)
    }
}
