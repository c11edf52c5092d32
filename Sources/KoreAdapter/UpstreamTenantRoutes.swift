import TextCoding

/// A tenant's upstream calls, built once when the configuration is loaded: for every operation and campaign type
/// the method, origin and URL around the campaign id or name, and the fixed headers. A call then only joins three
/// strings and puts in its token, instead of walking the route table, escaping and concatenating on every request.
/// `UpstreamScheme.request` gives the same requests (tests hold the two to it).
public final class UpstreamTenantRoutes: Sendable {
    public let tenant: UpstreamTenant
    /// Indexed by `index(operation, type)`; nil where the tenant's version has no such call.
    private let templates: [UpstreamRequestTemplate?]
    /// `iid`, `accountId` and `Content-Type`, after `auth`.
    private let fixedHeaders: [HeaderField]

    public init(tenant: UpstreamTenant) {
        self.tenant = tenant
        var templates: [UpstreamRequestTemplate?] = []
        for operation in CampaignOperation.allCases {
            for type in CampaignType.allCases {
                templates.append(UpstreamScheme.route(for: operation, version: tenant.version)?.template(tenant: tenant, type: type))
            }
        }
        self.templates = templates
        fixedHeaders = UpstreamScheme.headers(tenant: tenant, token: "").dropFirst().map { HeaderField(name: $0.name, value: $0.value) }
    }

    private static let typeCount = CampaignType.allCases.count

    private func template(_ operation: CampaignOperation, _ type: CampaignType) -> UpstreamRequestTemplate? {
        routeIndex(operation, type).flatMap { templates[$0] }
    }

    private func routeIndex(_ operation: CampaignOperation, _ type: CampaignType) -> Int? {
        guard let operationIndex = CampaignOperation.allCases.firstIndex(of: operation),
              let typeIndex = CampaignType.allCases.firstIndex(of: type) else { return nil }
        return operationIndex * Self.typeCount + typeIndex
    }

    /// How many routes the table has room for (`UpstreamCallSketch.route` is below it).
    public var routeCount: Int { templates.count }

    /// The fixed pieces of route `index` (as `sketch` gives them, the `middle` aside); nil where there is no call.
    public func routePieces(_ index: Int) -> (origin: String, before: String, after: String)? {
        guard templates.indices.contains(index), let template = templates[index] else { return nil }
        return (template.origin, template.before, template.after)
    }

    /// Whether `request` gives a call for these arguments (whatever the token and body), without building it.
    public func hasRequest(operation: CampaignOperation, type: CampaignType, id: CampaignID? = nil,
                           campaignName: String? = nil) -> Bool {
        template(operation, type)?.accepts(id: id, campaignName: campaignName) ?? false
    }

    /// The headers every call of this tenant starts with, `request` putting them first: the token's, then the
    /// tenant's fixed ones (what a dry run describes once per tenant).
    public func leadingHeaders(token: String) -> [(name: String, value: String)] {
        [(name: "auth", value: token)] + fixedHeaders.map { (name: $0.name, value: $0.value) }
    }

    /// The call `request` would build for the same arguments in its pieces, none joined: for a description of the
    /// call written piece by piece (the dry run), without building the call first.
    public func sketch(operation: CampaignOperation, type: CampaignType, id: CampaignID? = nil,
                       campaignName: String? = nil) -> UpstreamCallSketch? {
        guard let route = routeIndex(operation, type), let template = templates[route],
              let middle = template.middle(id: id, campaignName: campaignName) else { return nil }
        return UpstreamCallSketch(route: route, method: template.method, origin: template.origin, before: template.before,
                                  middle: middle, after: template.after, sendsBody: template.sendsBody)
    }

    /// The call `UpstreamScheme.request` would build for the same arguments and this tenant.
    public func request(operation: CampaignOperation, type: CampaignType, id: CampaignID? = nil,
                        campaignName: String? = nil, token: String, body: [UInt8]?) -> UpstreamRequest? {
        guard let template = template(operation, type),
              let pathAndQuery = template.pathAndQuery(id: id, campaignName: campaignName) else { return nil }
        // One allocation with room for the caller's per-request headers too (the trace context), filled in place:
        // reserving, then appending the token and the fixed fields, cost two buffers and the generic append.
        let fixed = fixedHeaders
        let headers = [HeaderField](unsafeUninitializedCapacity: fixed.count + 3) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress, buffer.count >= fixed.count + 1 else { return }
            base.initialize(to: HeaderField(name: "auth", value: token))
            fixed.withUnsafeBufferPointer { fields in
                if let source = fields.baseAddress { (base + 1).initialize(from: source, count: fields.count) }
            }
            count = fixed.count + 1
        }
        guard headers.count == fixed.count + 1 else { return nil }
        return UpstreamRequest(method: template.method, origin: template.origin, pathAndQuery: pathAndQuery,
                               fields: headers, body: template.sendsBody ? (body ?? Array("{}".utf8)) : nil)
    }
}

/// One call of `UpstreamTenantRoutes.request` in its pieces: the request it builds has this method and origin, the
/// path and query `before + middle + after`, the headers `leadingHeaders(token:)`, and a body when `sendsBody`.
public struct UpstreamCallSketch: Sendable {
    /// The route's index in its tenant's table (`routePieces` gives its fixed pieces again).
    public let route: Int
    public let method: String
    public let origin: String
    public let before: String
    /// The campaign id, the escaped name, or empty.
    public let middle: String
    public let after: String
    public let sendsBody: Bool

    /// The body the call carries for `body`: `{}` when it sends one and none is given, nil when it sends none.
    public func body(_ body: [UInt8]?) -> [UInt8]? { sendsBody ? (body ?? Array("{}".utf8)) : nil }
}
