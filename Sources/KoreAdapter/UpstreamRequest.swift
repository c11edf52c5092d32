import TextCoding

/// The exact call to make to Kore.ai, built from scratch for every request (never from the caller's headers), so
/// nothing a caller sends can leak upstream except through the translated body.
///
/// The gateway's transport sends it verbatim; `?dryRun=true` shows it with the `auth` value redacted.
public struct UpstreamRequest: Sendable, Equatable {
    /// `DELETE`, `PUT`, `GET` or `POST`.
    public var method: String
    /// `scheme://host[:port]` of the tenant's base URL: what a transport connects to (one string per tenant, so
    /// a transport can keep what it parsed of it).
    public var origin: String
    /// Starts with `/`: the base URL's path prefix, the version's path, and the query.
    public var pathAndQuery: String
    /// Absolute URL: the tenant's base URL, the version's path, and the query.
    public var url: String {
        get { origin + pathAndQuery }
        set { (origin, pathAndQuery) = UpstreamRoute.splitBaseURL(newValue) }
    }
    /// In order: `auth`, `iid`, `accountId`, `Content-Type: application/json` (the content type goes on
    /// bodiless calls too), then the gateway's per-request fields.
    public var fields: [HeaderField]
    /// `fields` as `(name, value)` pairs (for tests and descriptions; the hot path reads and writes `fields`).
    public var headers: [(name: String, value: String)] {
        get { fields.map { (name: $0.name, value: $0.value) } }
        set { fields = newValue.map { HeaderField(name: $0.name, value: $0.value) } }
    }
    /// The JSON body, or nil for bodiless calls.
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]?) {
        let (origin, pathAndQuery) = UpstreamRoute.splitBaseURL(url)
        self.init(method: method, origin: origin, pathAndQuery: pathAndQuery, headers: headers, body: body)
    }

    public init(method: String, origin: String, pathAndQuery: String, headers: [(name: String, value: String)], body: [UInt8]?) {
        self.init(method: method, origin: origin, pathAndQuery: pathAndQuery,
                  fields: headers.map { HeaderField(name: $0.name, value: $0.value) }, body: body)
    }

    public init(method: String, origin: String, pathAndQuery: String, fields: [HeaderField], body: [UInt8]?) {
        self.method = method
        self.origin = origin
        self.pathAndQuery = pathAndQuery
        self.fields = fields
        self.body = body
    }

    /// The same request sent with `token`: the value of its `auth` header replaced (the first header, as
    /// `UpstreamScheme` orders them; found by name otherwise).
    public func authorized(by token: String) -> UpstreamRequest {
        var copy = self
        if let first = fields.first, first.name == "auth" {
            copy.fields[0].value = token
        } else if let i = fields.firstIndex(where: { $0.name.utf8.count == 4 && $0.name.lowercased() == "auth" }) {
            copy.fields[i].value = token
        }
        return copy
    }

    /// The first value of header `name`, compared case-insensitively as HTTP does.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// The same request with the `auth` header's value replaced, for `?dryRun=true` and logs.
    public func redacted(placeholder: String = "<redacted>") -> UpstreamRequest {
        var copy = self
        copy.fields = fields.map { $0.name.lowercased() == "auth" ? HeaderField(name: $0.name, value: placeholder) : $0 }
        return copy
    }

    // The URL compared whole: the same URL split differently is the same request.
    public static func == (lhs: UpstreamRequest, rhs: UpstreamRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body && lhs.fields == rhs.fields
    }
}
