import JSONCore

/// The outer layer every Kore.ai answer shares: a JSON object, and where it carries an envelope `status`, that status
/// must be `success` (start and stop answers carry the campaign's state there instead, so they do not ask).
enum UpstreamEnvelope {
    /// The answer's top-level object.
    static func root(_ body: [UInt8]) throws(NormalizationError) -> JSONObject {
        let parsed: JSONValue
        do {
            parsed = try JSONReader.parse(body)
        } catch {
            throw .notJSON(error.description)
        }
        guard case .object(let root) = parsed else {
            throw .unexpectedShape("expected a JSON object, got \(parsed.kindName)")
        }
        return root
    }

    /// Refuses an envelope whose `status` is present and not `success`; `what` names the answer in the error.
    static func requireSuccess(_ root: JSONObject, _ what: String) throws(NormalizationError) {
        if let status = root["status"], status.stringValue?.lowercased() != "success" {
            throw .unexpectedShape("\(what) status is not \"success\"")
        }
    }
}
