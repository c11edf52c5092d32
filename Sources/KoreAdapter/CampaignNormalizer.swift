import JSONCore

/// Kore.ai success bodies to the gateway's normalized campaign and success envelope.
///
/// Bytes in, bytes out, no Foundation: this runs on every request, and its budget is microseconds.
///
/// Envelope rules:
/// - `{"status":"success","message":M,"data":{...}}` (delete, update; `id` may also sit at the top level): the
///   campaign is `data`. A `status` other than `success` in such an envelope is `unexpectedShape`.
/// - A body without `data` is taken as the campaign record itself (get-by-id and start/stop answers are flat),
///   unless it says `"status":"failure"`.
/// - Envelope members other than `status`, `message`, `data` and `id` are kept under extensions as `envelope.<key>`.
public enum CampaignNormalizer {
    /// Members Kore.ai documents that the normalized shape does not model (the list's per-run counters): kept under
    /// `extensions`, reported neither as unknown nor as unreadable.
    public static let documentedUnmodelledFields: Set<String> = ["campaignInstanceUpdatedAt", "totalMessagesSent", "campaignExecutionType"]

    /// The success envelope `{"campaign":{...},"message":"..."}` for an upstream 2xx body.
    ///
    /// `message` is Kore.ai's when it sends a non-empty one, else `"Campaign <name> deleted|updated|retrieved"`
    /// (the id stands in for a missing name). A read (`get`) also says which of its values a PUT cannot take back as
    /// they are: `"notWritableAsRead": [{"field", "message"}]` (`[]` when the campaign can be PUT back unchanged).
    public static func normalize(upstreamBody: [UInt8], operation: CampaignOperation, type: CampaignType,
                                 version: UpstreamVersion) throws(NormalizationError) -> NormalizedResponse {
        let (output, upstreamMessage) = try mapped(upstreamBody, type: type, version: version)
        let message = upstreamMessage ?? defaultMessage(output, operation: operation)
        var members: JSONObject = ["campaign": output.campaign, "message": .string(message)]
        if operation == .get {
            let problems = CampaignWriteBack.problems(of: output.campaign, type: type, version: version)
            members["notWritableAsRead"] = CampaignWriteBack.json(problems)
        }
        let envelope: JSONValue = .object(members)
        return NormalizedResponse(body: envelope.bytes, campaignName: output.name, unknownFields: output.unknownFields,
                                  unreadableFields: output.unreadableFields,
                                  recordType: output.recordType, campaign: output.campaign)
    }

    /// Same, returning the normalized campaign as a value (used by tests and the simulator round trip).
    public static func campaign(fromUpstream body: [UInt8], type: CampaignType,
                                version: UpstreamVersion) throws(NormalizationError) -> JSONValue {
        try mapped(body, type: type, version: version).output.campaign
    }

    static func mapped(_ body: [UInt8], type: CampaignType, version: UpstreamVersion)
        throws(NormalizationError) -> (output: UpstreamCampaignMapper.Output, message: String?) {
        let root = try UpstreamEnvelope.root(body)
        let mapper = UpstreamCampaignMapper(type: type, version: version)
        if let data = root["data"] {
            guard case .object(let record) = data else {
                throw .unexpectedShape("`data` is \(data.kindName), expected an object")
            }
            if let status = root["status"], status.stringValue?.lowercased() != "success" {
                throw .unexpectedShape("envelope status is \(describe(status)), expected \"success\"")
            }
            var leftovers: [UpstreamFieldCursor.Leftover] = []
            for (key, value) in root where !["status", "message", "data", "id"].contains(key) {
                leftovers.append(("envelope." + key, value, false))
            }
            var message = root["message"]?.stringValue
            if message?.isEmpty == true { message = nil }
            if let nonString = root["message"], nonString.stringValue == nil, !nonString.isNull {
                leftovers.append(("envelope.message", nonString, true))
            }
            return (mapper.map(record: record, fallbackID: root["id"], envelopeLeftovers: leftovers), message)
        }
        if root["status"]?.stringValue?.lowercased() == "failure" {
            throw .unexpectedShape("upstream reported failure in a success response")
        }
        // A flat record. A string `message` there is the envelope's text, not an SMS message object.
        var record = root
        var message: String?
        if let text = root["message"]?.stringValue {
            record["message"] = nil
            message = text.isEmpty ? nil : text
        }
        return (mapper.map(record: record, fallbackID: nil, envelopeLeftovers: []), message)
    }

    private static func defaultMessage(_ output: UpstreamCampaignMapper.Output, operation: CampaignOperation) -> String {
        let subject = output.name ?? output.campaign["id"]?.stringValue
        return ["Campaign", subject, operation.pastTense].compactMap { $0 }.joined(separator: " ")
    }

    /// A short, safe description of an unexpected value for logs (never more than a few characters of it).
    private static func describe(_ value: JSONValue) -> String {
        guard let text = value.stringValue else { return value.kindName }
        return "\"" + String(text.prefix(32)) + "\""
    }
}
