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

    public init(method: String, target: String, path: String, query: String? = nil,
                versionMajor: Int = 1, versionMinor: Int = 1,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String? = nil) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
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

/// Percent-decoding (RFC 3986 2.1). Returns nil for malformed escapes or bytes that are not UTF-8.
public enum PercentDecoding {
    public static func decode(_ s: String, plusAsSpace: Bool = false) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                out.append(hv << 4 | lv)
            } else if plusAsSpace && c == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(c)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
