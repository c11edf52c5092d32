import COpenSSL
import TextCoding
#if canImport(Glibc)
import Glibc
#endif

/// A user name and password from a proxy URL's user info, percent-decoded as curl decodes them. They leave the
/// process only as `Proxy-Authorization: Basic` on CONNECT; every printed form of them is `<redacted>`.
public struct ProxyCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    /// No children: `dump` and debuggers show `<redacted>` too.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// `Basic ` and the Base64 of `user:password` (RFC 7617).
    var basicAuthorization: String {
        let plain = Array((user + ":" + password).utf8)
        var encoded = [UInt8](repeating: 0, count: 4 * ((plain.count + 2) / 3) + 1)
        let written = plain.withUnsafeBufferPointer { source in
            encoded.withUnsafeMutableBufferPointer { target in
                EVP_EncodeBlock(target.baseAddress, source.baseAddress, Int32(clamping: source.count))
            }
        }
        return "Basic " + String(decoding: encoded.prefix(Int(max(0, written))), as: UTF8.self)
    }
}

/// Why a proxy setting cannot be used, in words an operator can act on. It never repeats the value (which may hold
/// a password).
public struct ProxyURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// An egress (forward) proxy: `http://[user:password@]host[:port]`. TLS to the proxy itself is not offered; every
/// target goes through it in a CONNECT tunnel, so the proxy sees host names but never request bytes, and what it
/// answers itself (a refusal, a 502) can never pass for the server's answer.
public struct ProxyEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var credentials: ProxyCredentials?

    /// curl's: "If the port number is not specified in the proxy string, it is assumed to be 1080."
    public static let defaultPort = 1080

    public init(host: String, port: Int, credentials: ProxyCredentials? = nil) {
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// The endpoint for a proxy URL as curl reads one: `http://` or no scheme, optional percent-encoded credentials,
    /// a host name or IP literal (IPv6 in brackets), the port (1080 when absent), and at most a `/` after it.
    public static func parse(_ text: String) -> Result<ProxyEndpoint, ProxyURLError> {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure(ProxyURLError("is empty")) }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(ProxyURLError("contains a space, a control character or a non-ASCII byte"))
        }
        var rest = bytes[...]
        if let separator = firstIndex(of: Array("://".utf8), in: bytes) {
            let scheme = String(decoding: bytes[..<separator], as: UTF8.self).lowercased()
            switch scheme {
            case "http": break
            case "https":
                return .failure(ProxyURLError("is an https:// proxy: TLS to the proxy is not supported; use its http:// address (https targets still get TLS end to end through a CONNECT tunnel)"))
            case "socks4", "socks4a", "socks5", "socks5h":
                return .failure(ProxyURLError("is a \(scheme) proxy: SOCKS is not supported; use an http:// proxy"))
            default:
                return .failure(ProxyURLError("has the scheme \(scheme)://, which is not a proxy scheme; use http://host:port"))
            }
            rest = bytes[(separator + 3)...]
        }
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        let after = rest[authorityEnd...]
        guard after.isEmpty || Array(after) == [UInt8(ascii: "/")] else {
            return .failure(ProxyURLError("has a path, query or fragment; a proxy URL is http://[user:password@]host[:port]"))
        }
        var authority = rest[..<authorityEnd]
        var credentials: ProxyCredentials?
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            let userInfo = authority[..<at]
            authority = authority[(at + 1)...]
            let colon = userInfo.firstIndex(of: UInt8(ascii: ":"))
            let userPart = userInfo[..<(colon ?? userInfo.endIndex)]
            let passwordPart = colon.map { userInfo[($0 + 1)...] } ?? []
            guard let user = PercentDecoding.decode(userPart).flatMap({ String(validating: $0, as: UTF8.self) }),
                  let password = PercentDecoding.decode(passwordPart).flatMap({ String(validating: $0, as: UTF8.self) }) else {
                return .failure(ProxyURLError("has credentials that are not valid percent-encoded UTF-8"))
            }
            guard !user.isEmpty else { return .failure(ProxyURLError("has credentials without a user name")) }
            // RFC 7617: a user-id with a colon cannot be told from the password.
            guard !user.contains(":") else { return .failure(ProxyURLError("has a user name with a colon, which Basic authentication cannot carry")) }
            credentials = ProxyCredentials(user: user, password: password)
        }
        return hostAndPort(authority).map { ProxyEndpoint(host: $0.host, port: $0.port, credentials: credentials) }
    }

    /// `parse`, or nil.
    public init?(url text: String) {
        guard case .success(let endpoint) = Self.parse(text) else { return nil }
        self = endpoint
    }

    /// `http://host:port`, with `<redacted>@` in front of the host when there are credentials.
    public var description: String {
        "http://" + (credentials == nil ? "" : "<redacted>@") + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    private static func hostAndPort(_ authority: ArraySlice<UInt8>) -> Result<(host: String, port: Int), ProxyURLError> {
        var host: ArraySlice<UInt8>
        var port: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else {
                return .failure(ProxyURLError("has an IPv6 host without its closing ]"))
            }
            host = authority[(authority.startIndex + 1)..<close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return .failure(ProxyURLError("has something other than :port after its IPv6 host")) }
                port = after.dropFirst()
            }
            guard IPAddress(String(decoding: host, as: UTF8.self))?.isIPv6 == true else {
                return .failure(ProxyURLError("has an invalid IPv6 host"))
            }
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                host = authority[..<colon]
                port = authority[(colon + 1)...]
            } else {
                host = authority
            }
            guard !host.isEmpty, host.allSatisfy(isNameByte) else {
                return .failure(ProxyURLError("has an invalid host (letters, digits, -, . and _, or an IP address)"))
            }
        }
        var number = defaultPort
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  case let value = port.reduce(0, { $0 * 10 + Int($1 - 48) }), (1...65535).contains(value) else {
                return .failure(ProxyURLError("has an invalid port (a number from 1 to 65535)"))
            }
            number = value
        }
        return .success((String(decoding: host, as: UTF8.self).lowercased(), number))
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

/// One `NO_PROXY` entry: `*`, a domain (`example.com` and `.example.com` both match it and its subdomains), or an
/// IP address or CIDR network (`10.0.0.0/8`, `fd00::/8`), which matches IP-literal targets.
public enum NoProxyEntry: Sendable, Equatable, CustomStringConvertible {
    case everyHost
    case domain(String)
    case network(IPAddress, prefixLength: Int)

    public static func parse(_ text: Substring) -> Result<NoProxyEntry, ProxyURLError> {
        var entry = text.trimmingASCIIWhitespace().lowercased()[...]
        if entry == "*" { return .success(.everyHost) }
        if entry.hasPrefix("[") && entry.hasSuffix("]") { entry = entry.dropFirst().dropLast() }
        var prefix: Int?
        var address = entry
        if let slash = entry.firstIndex(of: "/") {
            address = entry[..<slash]
            let bits = entry[entry.index(after: slash)...]
            guard !bits.isEmpty, bits.count <= 3, bits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(bits) else {
                return .failure(ProxyURLError("has the entry \(text.trimmingASCIIWhitespace()), whose network prefix is not a number"))
            }
            prefix = value
        }
        if let ip = IPAddress(String(address)) {
            let bits = ip.bytes.count * 8
            let length = prefix ?? bits
            guard length <= bits else {
                return .failure(ProxyURLError("has the entry \(text.trimmingASCIIWhitespace()), whose network prefix is longer than \(bits) bits"))
            }
            return .success(.network(ip, prefixLength: length))
        }
        guard prefix == nil else {
            return .failure(ProxyURLError("has the entry \(text.trimmingASCIIWhitespace()), which is not an IP network"))
        }
        if entry.hasPrefix("*.") {
            return .failure(ProxyURLError("has the entry \(entry), a wildcard NO_PROXY does not know; .\(entry.dropFirst(2)) matches the domain and its subdomains"))
        }
        while entry.hasPrefix(".") { entry = entry.dropFirst() }
        guard !entry.isEmpty, entry.utf8.allSatisfy(ProxyEndpoint.isNameByte) else {
            return .failure(ProxyURLError("has the entry \(text.trimmingASCIIWhitespace()), which is neither a host name, an IP address, a CIDR network nor *"))
        }
        return .success(.domain(String(entry)))
    }

    /// Whether `host` (lowercase; an IPv6 literal without brackets) is exempt by this entry.
    func matches(host: String, address: IPAddress?) -> Bool {
        switch self {
        case .everyHost: return true
        case .domain(let domain): return host == domain || host.hasSuffix("." + domain)
        case .network(let network, let length): return address.map { network.contains($0, prefixLength: length) } ?? false
        }
    }

    public var description: String {
        switch self {
        case .everyHost: return "*"
        case .domain(let domain): return domain
        case .network(let address, let length): return "\(address)/\(length)"
        }
    }
}

/// An IPv4 or IPv6 address as its network-order bytes.
public struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]
    private let text: String

    /// A numeric IPv4 or IPv6 address (no brackets, no zone), or nil.
    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
        self.text = text
    }

    var isIPv6: Bool { bytes.count == 16 }

    /// Whether `other` is in the network of this address's first `prefixLength` bits (same family only).
    func contains(_ other: IPAddress, prefixLength: Int) -> Bool {
        guard other.bytes.count == bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(bytes, other.bytes) where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { text }

    public static func == (lhs: IPAddress, rhs: IPAddress) -> Bool { lhs.bytes == rhs.bytes }
}

/// Why the proxy settings cannot be used: which setting, and what is wrong with it.
public struct ProxySettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable as it was spelled (`https_proxy`, `NO_PROXY`, ...).
    public var variable: String
    public var problem: ProxyURLError
    public var description: String { "\(variable) \(problem.reason)" }
}

/// Which proxy, if any, a request goes through: `upstream.proxy` for every target when configured; otherwise the
/// environment as curl reads it: `https_proxy`/`HTTPS_PROXY` for https targets, `http_proxy`/`HTTP_PROXY` for http
/// ones, `all_proxy`/`ALL_PROXY` when the scheme's own is unset (lowercase first); `no_proxy`/`NO_PROXY` exempts
/// hosts either way. A value that is used is either understood or refused with the reason: never skipped, which
/// would send the traffic around a proxy the network requires.
public struct ProxySettings: Sendable, Equatable {
    public var httpProxy: ProxyEndpoint?
    public var httpsProxy: ProxyEndpoint?
    public var noProxy: [NoProxyEntry]

    public init(httpProxy: ProxyEndpoint? = nil, httpsProxy: ProxyEndpoint? = nil, noProxy: [NoProxyEntry] = []) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    public static let none = ProxySettings()

    /// `configured` (the gateway's `upstream.proxy`) wins over the environment's proxies; `NO_PROXY` applies to both.
    /// `environment` is a lookup so tests need not touch the process's variables.
    public static func resolve(configured: ProxyEndpoint?, environment: (String) -> String? = ProxySettings.processEnvironment)
        -> Result<ProxySettings, ProxySettingsError> {
        func value(_ names: [String]) -> (name: String, value: String)? {
            for name in names {
                for spelling in [name.lowercased(), name] {
                    if let v = environment(spelling), !v.isEmpty { return (spelling, v) }
                }
            }
            return nil
        }
        var noProxy: [NoProxyEntry] = []
        if let (name, list) = value(["NO_PROXY"]) {
            for item in list.split(separator: ",") where !item.trimmingASCIIWhitespace().isEmpty {
                switch NoProxyEntry.parse(item) {
                case .success(let entry): noProxy.append(entry)
                case .failure(let problem): return .failure(ProxySettingsError(variable: name, problem: problem))
                }
            }
        }
        if let configured { return .success(ProxySettings(httpProxy: configured, httpsProxy: configured, noProxy: noProxy)) }
        func endpoint(_ names: [String]) -> Result<ProxyEndpoint?, ProxySettingsError> {
            guard let (name, text) = value(names) else { return .success(nil) }
            return ProxyEndpoint.parse(text).map(Optional.some).mapError { ProxySettingsError(variable: name, problem: $0) }
        }
        return endpoint(["HTTPS_PROXY", "ALL_PROXY"]).flatMap { https in
            endpoint(["HTTP_PROXY", "ALL_PROXY"]).map { http in ProxySettings(httpProxy: http, httpsProxy: https, noProxy: noProxy) }
        }
    }

    public static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The proxy for `target`, or nil to connect directly.
    public func proxy(for target: HTTPRequestTarget) -> ProxyEndpoint? {
        guard let proxy = target.scheme == .https ? httpsProxy : httpProxy else { return nil }
        let host = target.host.lowercased()
        let address = noProxy.contains { if case .network = $0 { true } else { false } } ? IPAddress(host) : nil
        for entry in noProxy where entry.matches(host: host, address: address) { return nil }
        return proxy
    }
}
