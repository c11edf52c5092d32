/// One row of Kore.ai's URL table: how one operation is addressed in one API version.
///
/// Rows are data, not code, so the v1/v2 differences can be read side by side in `UpstreamScheme.route(for:version:)`
/// and a new operation is a new pair of rows.
struct UpstreamRoute: Sendable, Equatable {
    /// A piece of the path after `{apiRoot}/{streamId}`.
    enum PathPart: Sendable, Equatable {
        case literal(String)
        /// The validated campaign id (already safe for a path; see `CampaignID`).
        case campaignID
    }

    /// A query parameter, in the order Kore.ai's pages print them.
    enum QueryPart: Sendable, Equatable {
        /// `accountId=<tenant account id>` (v2 only).
        case accountId
        /// `campaignType=<route type>`: always the route's real type, whatever Kore.ai's pages print.
        case campaignType
        /// A fixed parameter, e.g. `trigger=play` for start.
        case literal(name: String, value: String)
        /// `campaignName=<name>`: Kore.ai keys schedules by campaign name, not id.
        case campaignName
    }

    var method: String
    /// Everything between the base URL and the stream id, e.g. `/agentassist/api/v1/public`.
    var apiRoot: String
    var path: [PathPart]
    var query: [QueryPart]
    /// Whether the call carries a JSON body (PUT/POST). Bodiless calls send none even if one is offered.
    var sendsBody: Bool

    static let v1Root = "/agentassist/api/v1/public"
    /// v1 start and stop live under another service than v1's CRUD.
    static let v1TriggerRoot = "/campaign/api/v1/public"
    static let v2Root = "/campaign/api/v2/public"

    /// Whether the row addresses one campaign by id.
    var needsID: Bool { path.contains(.campaignID) }
    /// Whether the row addresses the campaign by name.
    var needsName: Bool { query.contains(.campaignName) }

    /// Builds the absolute URL for this row; nil when the row needs an id or a name that is not given.
    func url(tenant: UpstreamTenant, id: CampaignID?, type: CampaignType, campaignName: String? = nil) -> String? {
        let template = template(tenant: tenant, type: type)
        guard let pathAndQuery = template.pathAndQuery(id: id, campaignName: campaignName) else { return nil }
        return template.origin + pathAndQuery
    }

    /// Everything of this row's URL that is fixed for `tenant` and `type`: the URL around the one part that varies
    /// per call (the campaign id in the path, or the campaign name in the query; no row has both).
    func template(tenant: UpstreamTenant, type: CampaignType) -> UpstreamRequestTemplate {
        let (origin, basePath) = UpstreamRoute.splitBaseURL(tenant.trimmedBaseURL)
        var before = basePath + apiRoot + "/" + UpstreamRoute.escapePathSegment(tenant.streamId)
        var after = ""
        var variable = UpstreamRequestTemplate.Variable.none
        func add(_ text: String) {
            if variable == .none { before += text } else { after += text }
        }
        for part in path {
            switch part {
            case .literal(let text): add("/" + text)
            case .campaignID:
                add("/")
                variable = .campaignID
            }
        }
        var separator = "?"
        for part in query {
            let (name, value): (String, String)
            switch part {
            case .accountId: (name, value) = ("accountId", tenant.accountId)
            case .campaignType: (name, value) = ("campaignType", type.rawValue)
            case .literal(let n, let v): (name, value) = (n, v)
            case .campaignName:
                add(separator + "campaignName=")
                variable = .campaignName
                separator = "&"
                continue
            }
            add(separator + name + "=" + UpstreamRoute.escapeQueryValue(value))
            separator = "&"
        }
        return UpstreamRequestTemplate(method: method, origin: origin, before: before, after: after, variable: variable,
                                       sendsBody: sendsBody)
    }

    /// `scheme://authority` and what follows it (the path prefix, possibly empty; a query for a whole URL), so that
    /// the two joined are `base` again. A URL without `://` (refused by the configuration loader) is all origin.
    static func splitBaseURL(_ base: String) -> (origin: String, path: String) {
        let bytes = Array(base.utf8)
        var i = 0
        while i + 2 < bytes.count, !(bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "/") && bytes[i + 2] == UInt8(ascii: "/")) {
            i += 1
        }
        guard i + 2 < bytes.count else { return (base, "") }
        var slash = i + 3
        while slash < bytes.count, bytes[slash] != UInt8(ascii: "/"), bytes[slash] != UInt8(ascii: "?") { slash += 1 }
        return (String(decoding: bytes[..<slash], as: UTF8.self), String(decoding: bytes[slash...], as: UTF8.self))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters. Configuration values (stream and account ids)
    /// are not under the caller's control, but escaping them means a typo in a config file cannot add a path
    /// segment or a query parameter either.
    static func escapePathSegment(_ text: String) -> String { escape(text) }

    static func escapeQueryValue(_ text: String) -> String { escape(text) }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
