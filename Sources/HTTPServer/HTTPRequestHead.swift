/// A parsed request line and header section, before the body. The parser reports it so the connection can answer
/// `Expect: 100-continue` before the body is read.
public struct HTTPRequestHead: Sendable {
    public var method: String
    public var target: String
    public var path: String
    public var query: String?
    public var versionMajor: Int
    public var versionMinor: Int
    public var headers: HTTPHeaders
    public var framing: HTTPBodyFraming
    /// `Expect: 100-continue` was sent.
    public var expectsContinue: Bool
    /// Whether the connection may stay open after the response (RFC 9112 9.3: 1.1 unless `close`; 1.0 only with
    /// `keep-alive`).
    public var keepAlive: Bool

    public var isHEAD: Bool { method == "HEAD" }

    public var hasBody: Bool {
        switch framing {
        case .none, .contentLength(0): return false
        default: return true
        }
    }
}
