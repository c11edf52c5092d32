/// Titles for the statuses the HTTP server can refuse a request with.
enum StatusTitle {
    static func of(_ status: Int) -> String {
        switch status {
        case 400: return "Bad request"
        case 408: return "Request timeout"
        case 411: return "Length required"
        case 413: return "Content too large"
        case 414: return "URI too long"
        case 417: return "Expectation failed"
        case 431: return "Request header fields too large"
        case 501: return "Not implemented"
        case 503: return "Service unavailable"
        case 505: return "HTTP version not supported"
        default: return "HTTP \(status)"
        }
    }
}
