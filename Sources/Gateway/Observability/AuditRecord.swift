import Foundation
import JSONCore

/// What an audit line says: who did what to which campaign, when, through which tenant, and how it ended.
enum AuditRecord {
    static func make(_ log: RequestLogRecord, operation: String, status: Int, time: Date = Date()) -> JSONValue {
        let outcome: String
        switch status {
        case 200..<300: outcome = "succeeded"
        case 502 where log.errorCode == "upstream_connection_lost", 504:
            outcome = "unknown"  // the request may have been applied: the record says so rather than guess
        default: outcome = "failed"
        }
        var o: JSONObject = [
            "time": .string(LogTime.iso8601(time)),
            "requestId": .string(log.requestId),
            "client": log.client.map(JSONValue.string) ?? .null,
            "tenant": log.tenant.map(JSONValue.string) ?? .null,
            "operation": .string(operation),
            "type": log.campaignType.map(JSONValue.string) ?? .null,
            "campaignId": log.campaignId.map(JSONValue.string) ?? .null,
            "upstreamVersion": log.upstreamVersion.map(JSONValue.string) ?? .null,
            "upstreamStatus": log.upstreamStatus.map(JSONValue.int) ?? .null,
            "upstreamAttempts": .int(log.upstreamAttempts ?? 0),
            "status": .int(status),
            "outcome": .string(outcome),
        ]
        if let code = log.errorCode { o["code"] = .string(code) }
        return .object(o)
    }
}
