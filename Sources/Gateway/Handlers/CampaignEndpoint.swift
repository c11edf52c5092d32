import HTTPServer
import JSONCore
import KoreAdapter
import GatewayConfiguration

/// DELETE and PUT on `/campaigns/{type}/{id}`: authenticate, check, translate, call Kore.ai, normalize.
/// Every failure leaves as a `Problem`; nothing reaches Kore.ai before the caller, the id and the body are proven good.
struct CampaignEndpoint: Sendable {
    static let allowedMethods = "DELETE, PUT"

    let observer: GatewayObserver

    /// `route` is `CampaignRoute.match(path: request.path)`, which the handler made for its route label.
    func handle(_ request: HTTPRequest, route match: CampaignRoute.Match, state: GatewayState,
                log: inout RequestLogRecord) async -> Result<HTTPResponse, Problem> {
        // Authentication first under /campaigns, even for paths that do not exist.
        let client: GatewayConfig.Client
        switch state.authenticator.identify(request.headers) {
        case .failure(let problem): return .failure(problem)
        case .success(let found): client = found
        }
        log.client = client.name

        if request.target.utf8.contains(UInt8(ascii: "#")) { return .failure(Problem(.invalidCampaignId, "a raw '#' is not allowed in the request target")) }
        let route: CampaignRoute
        switch match {
        case .noRoute: return .failure(Problem(.notFound, "no such route; see /openapi.yaml"))
        case .badId: return .failure(Problem(.invalidCampaignId, "a campaign id is 1-128 of A-Z a-z 0-9 _ - and starts with a letter or digit"))
        case .campaign(let matched): route = matched
        }
        log.campaignType = route.type.rawValue
        log.campaignId = route.id.value

        let operation: CampaignOperation, scope: GatewayConfig.Scope
        switch request.method {
        case "DELETE": (operation, scope) = (.delete, .delete)
        case "PUT": (operation, scope) = (.update, .update)
        default:
            var problem = Problem(.methodNotAllowed, "\(request.method) is not supported on this route")
            problem.headers.add("Allow", Self.allowedMethods)
            return .failure(problem)
        }

        let caller: AuthenticatedCaller
        switch state.authenticator.authorize(client, scope: scope, headers: request.headers) {
        case .failure(let problem): return .failure(problem)
        case .success(let authorized): caller = authorized
        }
        log.tenant = caller.tenant.name
        log.upstreamVersion = caller.tenant.apiVersion.rawValue

        let dryRun: Bool
        switch CampaignQuery.parse(request.query) {
        case .failure(let problem): return .failure(problem)
        case .success(let query): dryRun = query.dryRun
        }
        log.dryRun = dryRun

        var upstreamBody: [UInt8]?
        if operation == .update {
            switch Self.translateBody(request, type: route.type, version: caller.tenant.apiVersion) {
            case .failure(let problem): return .failure(problem)
            case .success(let body): upstreamBody = body
            }
        }

        let upstreamTenant = caller.tenant.upstreamTenant
        let build = { (token: String) in
            UpstreamScheme.request(operation: operation, type: route.type, id: route.id, tenant: upstreamTenant,
                                   token: token, body: upstreamBody)
        }
        if dryRun {
            return .success(DryRunResponse.make(build("<redacted>"), version: caller.tenant.apiVersion))
        }
        guard let tenant = state.tenants[caller.tenant.name] else {
            return .failure(Problem(.internalError, "tenant state missing"))
        }
        if case .limited(let retryAfter) = state.pacer.take(account: caller.tenant.accountId) {
            var problem = Problem(.rateLimited, "the gateway paces calls to Kore.ai at \(state.config.upstream.requestsPerMinutePerAccount) per minute for this account")
            problem.headers.add("Retry-After", String(retryAfter))
            return .failure(problem)
        }

        let account = caller.tenant.accountId
        let outcome = await state.caller.call(tenant: tenant, pace: { state.pacer.take(account: account) == .allowed }, build: build)
        log.upstreamAttempts = outcome.attempts
        log.upstreamSeconds = outcome.upstreamSeconds
        let response: UpstreamResponse
        switch outcome.result {
        case .failure(let problem): return .failure(problem)
        case .success(let answered): response = answered
        }
        log.upstreamStatus = response.status
        if response.status == 401 || response.status == 403 {
            observer.logs.event(.error, "upstream_credentials_rejected", "Kore.ai refused the tenant's token twice; check clientId, clientSecret and the app's scope",
                                [("tenant", .string(caller.tenant.name)), ("upstreamStatus", .int(response.status)), ("requestId", .string(log.requestId))])
        }
        switch UpstreamOutcomeMapper.map(response, operation: operation, type: route.type, version: caller.tenant.apiVersion) {
        case .failure(let problem): return .failure(problem)
        case .success(let success):
            observer.unknownUpstreamFields(success.unknownFields)
            var headers = HTTPHeaders()
            headers.add("Content-Type", "application/json")
            headers.add("Cache-Control", "no-store")
            return .success(HTTPResponse(status: 200, headers: headers, body: success.body))
        }
    }

    static func translateBody(_ request: HTTPRequest, type: CampaignType, version: UpstreamVersion) -> Result<[UInt8], Problem> {
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { String($0).trimmingCharacters(in: [" ", "\t"]) } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            return .failure(Problem(.unsupportedMediaType, "send the campaign as Content-Type: application/json"))
        }
        let document: JSONValue
        do {
            document = try JSONReader.parse(request.body)
        } catch {
            return .failure(Problem(.invalidJSON, "the body is not valid JSON: \(error)"))
        }
        guard case .object = document else {
            var problem = Problem(.validationFailed, "the body must be a JSON object (a campaign)")
            problem.fieldErrors = [(field: "", message: "must be an object, found \(document.kindName)")]
            return .failure(problem)
        }
        switch CampaignWriteTranslator.upstreamBody(fromNormalized: document, type: type, version: version) {
        case .success(let body): return .success(body)
        case .failure(let failure):
            let count = failure.errors.count
            var problem = Problem(.validationFailed, count == 1 ? "1 field is invalid" : "\(count) fields are invalid")
            problem.fieldErrors = failure.errors.map { (field: $0.field, message: $0.message) }
            return .failure(problem)
        }
    }
}
