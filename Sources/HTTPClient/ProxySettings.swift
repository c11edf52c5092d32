#if canImport(Glibc)
import Glibc
#endif

/// An egress (forward) proxy: `http://host:port`. TLS to the proxy itself is not offered; https targets go
/// through it in a CONNECT tunnel, so the proxy sees host names but never request bytes.
public struct ProxyEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `http://host:port` (a trailing `/` allowed), or `host:port` as curl also accepts in the environment. The port
    /// is required: curl's default (1080) is a guess nobody should depend on.
    public init?(url text: String) {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.contains("://") { return nil }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let (host, port) = HTTPRequestTarget.splitAuthority(ArraySlice(Array(rest.utf8)), defaultPort: 0),
              port > 0, !host.contains("/") else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

/// Which proxy, if any, a request goes through: `upstream.proxy` for every target when configured, otherwise
/// `HTTPS_PROXY` for https targets and `HTTP_PROXY` for http ones (lowercase names too, lowercase first, as curl
/// reads them); `NO_PROXY` exempts hosts either way.
public struct ProxySettings: Sendable, Equatable {
    public var httpProxy: ProxyEndpoint?
    public var httpsProxy: ProxyEndpoint?
    /// Lowercased host names or IP literals without a leading dot; `*` means every host.
    public var noProxy: [String]

    public init(httpProxy: ProxyEndpoint? = nil, httpsProxy: ProxyEndpoint? = nil, noProxy: [String] = []) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    public static let none = ProxySettings()

    /// `configured` (the gateway's `upstream.proxy`) wins over the environment; `NO_PROXY` applies to both.
    /// `environment` is a lookup so tests need not touch the process's variables.
    public static func resolve(configured: ProxyEndpoint?, environment: (String) -> String? = ProxySettings.processEnvironment) -> ProxySettings {
        func value(_ name: String) -> String? {
            for key in [name.lowercased(), name] {
                if let v = environment(key), !v.isEmpty { return v }
            }
            return nil
        }
        let noProxy = (value("NO_PROXY") ?? "").split(separator: ",").compactMap { entry -> String? in
            var e = entry.trimmingASCIIWhitespace().lowercased()[...]
            while e.hasPrefix(".") { e = e.dropFirst() }
            if e.hasPrefix("[") && e.hasSuffix("]") { e = e.dropFirst().dropLast() }
            return e.isEmpty ? nil : String(e)
        }
        if let configured { return ProxySettings(httpProxy: configured, httpsProxy: configured, noProxy: noProxy) }
        return ProxySettings(httpProxy: value("HTTP_PROXY").flatMap(ProxyEndpoint.init(url:)),
                             httpsProxy: value("HTTPS_PROXY").flatMap(ProxyEndpoint.init(url:)), noProxy: noProxy)
    }

    public static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The proxy for `target`, or nil to connect directly.
    public func proxy(for target: HTTPRequestTarget) -> ProxyEndpoint? {
        guard let proxy = target.scheme == .https ? httpsProxy : httpProxy else { return nil }
        let host = target.host.lowercased()
        for entry in noProxy where entry == "*" || host == entry || host.hasSuffix("." + entry) { return nil }
        return proxy
    }
}
