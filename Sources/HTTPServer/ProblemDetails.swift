/// The default rendering of a rejection: RFC 9457 `application/problem+json` with the gateway's fields
/// `type`, `title`, `status`, `code`, `detail`.
enum ProblemDetails {
    static func response(for rejection: HTTPRejection) -> HTTPResponse {
        let title = HTTPStatusReason.phrase(rejection.status)
        let type = "/problems/" + String(rejection.code.map { $0 == "_" ? "-" : $0 })
        var json = "{\"type\":"
        json += quoted(type)
        json += ",\"title\":" + quoted(title)
        json += ",\"status\":\(rejection.status)"
        json += ",\"code\":" + quoted(rejection.code)
        json += ",\"detail\":" + quoted(rejection.detail)
        json += "}"
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        return HTTPResponse(status: rejection.status, headers: headers, body: Array(json.utf8))
    }

    /// A JSON string literal (RFC 8259 7): quotes, backslashes and control characters escaped.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
