import JSONCore

/// Kore.ai's start, stop and status answers -> the gateway's one run-state shape:
/// `{"run": {"id", "type", "name", "status", "instanceId", "updatedAt", "totalCallsCompleted"}, "message"}`,
/// every key present (`null` when Kore.ai did not say).
///
/// - Start and stop answer flat: `{"status": "Active"|"Stopped", "message", "updatedAt", "totalCallsCompleted"?,
///   "campaignInstanceId"?, "campaignExecutionType"?}`; there `status` is the campaign's state, not an outcome.
/// - Status answers `{"status": "success", "data": {"id", "status", "name"}}` and no message.
/// - ◆ A `data` envelope is read for any of the three (whichever Kore.ai sends), and a flat `"status": "failure"`
///   is an unexpected shape (502), as for campaigns.
/// - `id` is the answer's when it has a non-empty one, else the route's; `name` is the answer's, else the name learnt from a
///   read before the call (If-Match), else null. `campaignExecutionType` (Kore.ai's SMS stop answers, always
///   `NORMAL` in its samples) is documented and dropped; other members are counted as unknown fields for the drift
///   metric; the run shape has no `extensions`, as it is not a stored record.
public enum RunStateNormalizer {
    public struct Output: Sendable, Equatable {
        public var body: [UInt8]
        public var run: JSONValue
        public var unknownFields: [String]
        public var unreadableFields: [String] = []
    }

    public static func normalize(upstreamBody: [UInt8], operation: CampaignOperation, type: CampaignType, id: String,
                                 knownName: String? = nil) throws(NormalizationError) -> Output {
        let root = try UpstreamEnvelope.root(upstreamBody)
        var record = root
        var message = root["message"]?.stringValue
        if let data = root["data"] {
            guard case .object(let inner) = data else { throw .unexpectedShape("`data` is \(data.kindName), expected an object") }
            if let status = root["status"], status.stringValue?.lowercased() != "success" {
                throw .unexpectedShape("envelope status is not \"success\"")
            }
            record = inner
            if let innerMessage = inner["message"]?.stringValue, message == nil { message = innerMessage }
        } else if root["status"]?.stringValue?.lowercased() == "failure" {
            throw .unexpectedShape("upstream reported failure in a success response")
        }
        var cursor = UpstreamFieldCursor(record, path: "")
        _ = cursor.take("message")
        _ = cursor.take("campaignExecutionType")
        let underscoreID = cursor.string("_id"), plainID = cursor.string("id")
        // An empty id names nothing: the route's stands.
        let idValue = [underscoreID.stringValue, plainID.stringValue].compactMap { $0 }.first { !$0.isEmpty } ?? id
        let nameValue = cursor.string("name").stringValue ?? knownName
        let status = cursor.lowercased("status")
        let run: JSONValue = .object([
            "id": .string(idValue),
            "type": .string(type.rawValue),
            "name": nameValue.map(JSONValue.string) ?? .null,
            "status": status,
            "instanceId": cursor.string("campaignInstanceId"),
            "updatedAt": cursor.string("updatedAt"),
            "totalCallsCompleted": cursor.integer("totalCallsCompleted"),
        ])
        if message?.isEmpty == true { message = nil }
        let subject = nameValue ?? idValue
        let fallback: String
        switch operation {
        case .start: fallback = "Campaign \(subject) started"
        case .stop: fallback = "Campaign \(subject) stopped"
        default: fallback = status.stringValue.map { "Campaign \(subject) is \($0)" } ?? "Campaign \(subject) status retrieved"
        }
        let envelope: JSONValue = .object(["run": run, "message": .string(message ?? fallback)])
        let leftovers = cursor.leftovers()
        return Output(body: envelope.bytes, run: run, unknownFields: leftovers.filter { !$0.unreadable }.map(\.path),
                      unreadableFields: leftovers.filter(\.unreadable).map(\.path))
    }
}
