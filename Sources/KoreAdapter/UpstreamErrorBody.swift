import JSONCore

/// Turns a Kore.ai error body into the `upstream.errors` list of the gateway's problem document.
///
/// Kore.ai answers errors in two shapes, and proxies in front of it in any shape at all:
/// - `{"errors":[{"msg":"...","code":...}]}`: each element becomes `{msg, code}` (a missing or odd `code` becomes
///   the HTTP status; a missing `msg` falls back to `message`, then to the element's JSON text).
/// - `{"status":"failure","message":M}` (also `{"message":M}` without `errors`): `[{msg: M, code: <status>}]`
///  .
/// - anything else (HTML from a load balancer, an empty body, non-UTF-8): `[{msg: "HTTP <status> with a non-JSON body
///   (<n> bytes)", code: <status>}]` — the text itself is not shown: a framework's "Cannot DELETE /campaign/api/..."
///   page would show callers Kore.ai's URLs.
///
/// Output is bounded whatever the input: at most `maxErrors` entries of at most `maxMessageLength` characters, so
/// a hostile or broken upstream cannot make the gateway's error answers large.
public enum UpstreamErrorBody {
    public static let maxErrors = 20
    public static let maxMessageLength = 512

    /// `{msg, code}` objects describing the upstream error, never empty.
    public static func errors(from body: [UInt8], httpStatus: Int) -> [JSONValue] {
        guard let parsed = try? JSONReader.parse(body) else {
            return [entry(msg: rawText(body, httpStatus: httpStatus), code: .int(httpStatus))]
        }
        if let list = parsed["errors"]?.arrayValue, !list.isEmpty {
            return list.prefix(maxErrors).map { element in
                entry(msg: message(of: element), code: code(of: element) ?? .int(httpStatus))
            }
        }
        if let message = parsed["message"]?.stringValue ?? parsed["msg"]?.stringValue ?? parsed["error"]?.stringValue {
            return [entry(msg: message, code: .int(httpStatus))]
        }
        // JSON of an unknown shape: its compact text is the most faithful message.
        return [entry(msg: JSONWriter.string(parsed), code: .int(httpStatus))]
    }

    private static func entry(msg: String, code: JSONValue) -> JSONValue {
        .object(["msg": .string(truncate(msg)), "code": code])
    }

    private static func message(of element: JSONValue) -> String {
        if let text = element["msg"]?.stringValue ?? element["message"]?.stringValue { return text }
        if let text = element.stringValue { return text }
        return JSONWriter.string(element)
    }

    /// Kore.ai's `code` as given when it is a number or a non-empty string ("Unauthorized" style codes exist).
    private static func code(of element: JSONValue) -> JSONValue? {
        switch element["code"] {
        case .number(let literal)?: return .number(literal)
        case .string(let text)? where !text.isEmpty: return .string(text)
        default: return nil
        }
    }

    private static func rawText(_ body: [UInt8], httpStatus: Int) -> String {
        let isEmpty = body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return isEmpty ? "HTTP \(httpStatus) with an empty body" : "HTTP \(httpStatus) with a non-JSON body (\(body.count) bytes)"
    }

    /// At most `maxMessageLength` characters, with an ellipsis when cut.
    static func truncate(_ text: String) -> String {
        guard text.count > maxMessageLength else { return text }
        return String(text.prefix(maxMessageLength - 1)) + "…"
    }
}

