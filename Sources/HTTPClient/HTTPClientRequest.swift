import HTTPCore
import TextCoding

/// Where a request goes, parsed once: scheme, host, port, and the origin-form target (path and query). The client
/// never re-reads a URL string on the hot path; connections are pooled by `origin`.
public struct HTTPRequestTarget: Sendable, Hashable {
    public enum Scheme: String, Sendable, Hashable {
        case http, https
        public var defaultPort: Int { self == .https ? 443 : 80 }
    }

    public var scheme: Scheme
    /// A DNS name or an IP literal, IPv6 without brackets.
    public var host: String
    public var port: Int
    /// Starts with `/`; the query, if any, included.
    public var pathAndQuery: String

    public init(scheme: Scheme, host: String, port: Int, pathAndQuery: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.pathAndQuery = pathAndQuery.isEmpty ? "/" : pathAndQuery
    }

    /// Splits `http(s)://host[:port][/path][?query]`. No user info, no fragment, no bytes outside visible ASCII:
    /// nil for anything else, so a malformed URL can never produce a request line or Host header of its own making.
    public init?(absoluteURL url: String) {
        let bytes = Array(url.utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else { return nil }
        let scheme: Scheme
        var rest: ArraySlice<UInt8>
        if bytes.count > 8, Self.hasPrefix(bytes, "https://") {
            scheme = .https
            rest = bytes[8...]
        } else if bytes.count > 7, Self.hasPrefix(bytes, "http://") {
            scheme = .http
            rest = bytes[7...]
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        rest = rest[authorityEnd...]
        guard let (host, port) = Self.splitAuthority(authority, defaultPort: scheme.defaultPort) else { return nil }
        var path = String(decoding: rest, as: UTF8.self)
        if path.hasPrefix("?") { path = "/" + path }
        self.init(scheme: scheme, host: host, port: port, pathAndQuery: path)
    }

    /// Whether the target can be written as it is: a host of DNS-name or IP-literal characters, a port from 1 to
    /// 65535, and an origin-form path and query of visible ASCII without `#`. The memberwise initializer takes any
    /// strings, so the encoder checks this: a CR, LF or space there would write a request of the caller's making.
    public var isWritable: Bool {
        // On the contiguous bytes: iterating the UTF-8 views cost a few dozen instructions a byte.
        var host = host, pathAndQuery = pathAndQuery
        guard (1...65535).contains(port), !host.isEmpty, host.withUTF8({ $0.allSatisfy(Self.isHostByte) }) else {
            return false
        }
        return pathAndQuery.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return false }
            return Self.isVisibleASCIIWithoutHash(bytes)
        }
    }

    /// Every byte above SP and below DEL, none `#`, eight bytes at a time (a closure call per byte was most of the
    /// check's cost): a word with no byte below 0x21, none at or above 0x7F and no `#` needs no closer look.
    public static func isVisibleASCIIWithoutHash(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if ByteScan.hasByteBelow(w, 0x21) | ByteScan.hasHighByte(w) | ByteScan.hasByte(w, 0x7F)
                    | ByteScan.hasByte(w, UInt8(ascii: "#")) != 0 { break }
                i += 8
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            guard b > 0x20 && b < 0x7F && b != UInt8(ascii: "#") else { return false }
            i += 1
        }
        return true
    }

    /// Letters, digits, `-`, `.`, `_`, `~`, `%` and `:` (IPv6 literals and their zone).
    private static func isHostByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    /// `host:port` (IPv6 in brackets), as a Host header and a CONNECT target spell it; the port is left out when it
    /// is the scheme's default.
    public var hostHeader: String {
        let h = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        return port == scheme.defaultPort ? h : "\(h):\(port)"
    }

    /// `host:port` always, for CONNECT.
    public var authorityWithPort: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    static func hasPrefix(_ bytes: [UInt8], _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let p = prefix.utf8Start
        for i in 0..<count where HTTPByteClass.lower(bytes[i]) != p[i] { return false }
        return true
    }

    /// `host`, `host:port`, `[v6]`, `[v6]:port`. Rejects user info and empty or out-of-range ports.
    static func splitAuthority(_ a: ArraySlice<UInt8>, defaultPort: Int) -> (String, Int)? {
        guard !a.isEmpty, !a.contains(UInt8(ascii: "@")) else { return nil }
        var hostPart: ArraySlice<UInt8>
        var portPart: ArraySlice<UInt8>?
        if a.first == UInt8(ascii: "[") {
            guard let close = a.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostPart = a[(a.startIndex + 1)..<close]
            let after = a[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portPart = after.dropFirst()
            }
        } else {
            if let colon = a.firstIndex(of: UInt8(ascii: ":")) {
                hostPart = a[a.startIndex..<colon]
                portPart = a[(colon + 1)...]
            } else {
                hostPart = a
            }
        }
        guard !hostPart.isEmpty else { return nil }
        var port = defaultPort
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            port = portPart.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard (1...65535).contains(port) else { return nil }
        }
        return (String(decoding: hostPart, as: UTF8.self).lowercased(), port)
    }
}

/// One request to send. Header names and values are sent as given; `Host`, `Content-Length`, `Connection` and
/// `Accept-Encoding: identity` are the client's own and replace any given.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var target: HTTPRequestTarget
    /// What the encoder writes, in order.
    public var fields: [HeaderField]
    public var body: [UInt8]?

    /// `fields` as `(name, value)` pairs.
    public var headers: [(name: String, value: String)] {
        get { fields.map { (name: $0.name, value: $0.value) } }
        set { fields = newValue.map { HeaderField(name: $0.name, value: $0.value) } }
    }

    public init(method: String, target: HTTPRequestTarget, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.init(method: method, target: target, fields: headers.map { HeaderField(name: $0.name, value: $0.value) }, body: body)
    }

    public init(method: String, target: HTTPRequestTarget, fields: [HeaderField], body: [UInt8]? = nil) {
        self.method = method
        self.target = target
        self.fields = fields
        self.body = body
    }

    /// Safe to send again after a connection died under it without an answer (RFC 9110 9.2.1). DELETE and PUT are
    /// idempotent by the RFC but not here: Kore.ai answers a repeated DELETE with 404.
    var mayResendAfterWrite: Bool { method == "GET" || method == "HEAD" || method == "OPTIONS" }
}

/// A complete answer. Header names are lowercased; order and duplicates are kept.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    /// The fields as bytes; `header(_:)` or `headers` make Strings of them.
    public var fields: HTTPResponseFields
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.init(status: status, fields: HTTPResponseFields(headers), body: body)
    }

    public init(status: Int, fields: HTTPResponseFields, body: [UInt8]) {
        self.status = status
        self.fields = fields
        self.body = body
    }

    /// Every field as text (a String per name and value: for tests and diagnostics, not the hot path).
    public var headers: [(name: String, value: String)] { fields.pairs }

    /// The first value of `name` (lowercase).
    public func header(_ name: String) -> String? {
        fields.first(name)
    }
}

/// Why no usable answer came back. The cases decide whether the caller may retry.
public enum HTTPClientError: Error, Sendable, Equatable {
    /// The exchange's deadline passed.
    case timeout
    /// The request certainly did not reach the server (refused, resolution, TLS): safe to retry.
    case unavailable(String)
    /// The egress proxy could not be reached, or refused the tunnel with an answer of its own (407, 403, 502, ...):
    /// nothing reached the server, and nothing the server said is known. Safe to retry.
    case proxyFailed(String)
    /// The connection broke after request bytes were written: the server may have acted on it.
    case connectionLost(String)
    /// The body exceeded the limit (the count of bytes seen or announced when the client stopped).
    case responseTooLarge(Int)
    /// The answer is not HTTP/1.1 the client will read: malformed, a head over its limit, an unknown encoding.
    case badResponse(String)
}
