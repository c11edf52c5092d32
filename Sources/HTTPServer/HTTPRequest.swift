import TextCoding
/// A complete, parsed HTTP/1.1 request as the server hands it to a handler.
public struct HTTPRequest: Sendable {
    /// The method token exactly as sent (methods are case-sensitive, RFC 9110 9.1).
    public var method: String
    /// The request target as sent (origin-form `/a/b?c`, absolute-form `http://h/a`, or `*`).
    public var target: String
    /// The path of the target, still percent-encoded, without query (absolute-form reduced to its path).
    public var path: String
    /// The query after `?`, still percent-encoded, or nil when there is none.
    public var query: String?
    public var versionMajor: Int
    public var versionMinor: Int
    public var headers: HTTPHeaders
    /// The decoded body (chunked framing removed).
    public var body: [UInt8]
    /// The peer, as `ip:port`, when known.
    public var remoteAddress: String?
    /// What the handler keeps for the connection this request came on (the same object for every request of it), or
    /// nil when the request did not come from a connection (a test's request, say).
    public var connectionMemo: HTTPConnectionMemo?

    public init(method: String, target: String, path: String, query: String? = nil,
                versionMajor: Int = 1, versionMinor: Int = 1,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String? = nil,
                connectionMemo: HTTPConnectionMemo? = nil) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.connectionMemo = connectionMemo
    }

    /// The value of query parameter `name` (first occurrence), percent-decoded, `+` as space.
    public func queryParameter(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = PercentDecoding.decode(String(parts[0]), plusAsSpace: true), key == name else { continue }
            return parts.count > 1 ? PercentDecoding.decode(String(parts[1]), plusAsSpace: true) : ""
        }
        return nil
    }
}
