import HTTPServer
import JSONCore
import KoreAdapter
import GatewayConfiguration

/// Every route under `/campaigns`, driven by `GatewayOperation.table`: authenticate, match, check scope, query,
/// preconditions and body, then call Kore.ai (reading the campaign first when `If-Match` or a schedule needs it) and
/// answer in the operation's normalized shape; a write with an `Idempotency-Key` runs at most once per key
/// (`IdempotentExecution`). Every failure leaves as a `Problem`; nothing reaches Kore.ai before the caller, the id,
/// the query and the body are proven good.
struct CampaignEndpoint: Sendable {
    let observer: GatewayObserver

    /// `match` is `CampaignPath.match(path: request.path)`, which the handler made for its route label.
    func handle(_ request: HTTPRequest, match: CampaignPath.Match, state: GatewayState, trace: TraceContext,
                log: inout RequestLogRecord) async -> Result<HTTPResponse, Problem> {
        switch begin(request, match: match, state: state, trace: trace, log: &log) {
        case .done(let result): return result
        case .pending(let rest): return await rest(&log)
        case .exchange(let exchange): return await exchange.run(log: &log)
        }
    }

    /// How far a request gets without waiting: every check, every refusal and a dry run are done here; a call to
    /// Kore.ai (or a dry run's look at its `Idempotency-Key` record) is what remains.
    enum Start {
        case done(Result<HTTPResponse, Problem>)
        case pending(@Sendable (inout RequestLogRecord) async -> Result<HTTPResponse, Problem>)
        /// The rest is the exchange's `run`: returned as it is, so the handler's closure holds it directly (a
        /// closure around `run` here was one more context allocated per request).
        case exchange(CampaignExchange)
    }

    /// `handle` up to its first wait.
    func begin(_ request: HTTPRequest, match: CampaignPath.Match, state: GatewayState, trace: TraceContext,
               log: inout RequestLogRecord) -> Start {
        // Authentication first under /campaigns, even for paths that do not exist.
        // `Authorization` and `X-Tenant` found in one walk over the fields.
        let callerFields = CallerFields(request.headers)
        let client: IdentifiedClient
        switch state.authenticator.identifyClient(callerFields, memo: request.connectionMemo) {
        case .failure(let problem): return .done(.failure(problem))
        case .success(let found): client = found
        }
        log.client = client.client.name

        // On the contiguous bytes: iterating the UTF-8 view costs a few dozen instructions a byte.
        var target = request.target
        if target.withUTF8({ $0.contains(UInt8(ascii: "#")) }) { return .done(.failure(Problem(.invalidCampaignId, "a raw '#' is not allowed in the request target"))) }
        let path: CampaignPath
        switch match {
        case .noRoute: return .done(.failure(Problem(.notFound, "no such route; see /openapi.yaml")))
        case .badId: return .done(.failure(Problem(.invalidCampaignId, "a campaign id is 1-128 of A-Z a-z 0-9 _ - and starts with a letter or digit")))
        case .path(let matched): path = matched
        }
        log.campaignType = path.type.rawValue
        log.campaignId = path.id?.value

        guard let operation = GatewayOperation.find(method: request.method, path: path.shape) else {
            var problem = Problem(.methodNotAllowed, "\(request.method) is not supported on this route")
            problem.headers.add("Allow", GatewayOperation.allowedMethods(for: path.shape))
            return .done(.failure(problem))
        }
        log.operation = operation.upstream.rawValue

        let caller: AuthenticatedCaller
        switch state.authenticator.authorize(client, scope: operation.scope, requestedTenant: callerFields.tenant) {
        case .failure(let problem): return .done(.failure(problem))
        case .success(let authorized): caller = authorized
        }
        log.tenant = caller.tenant.name
        log.upstreamVersion = caller.tenant.apiVersion.rawValue

        let prepared: PreparedCall
        switch prepare(request, operation: operation, path: path, caller: caller) {
        case .failure(let problem): return .done(.failure(problem))
        case .success(let ready): prepared = ready
        }
        log.dryRun = prepared.dryRun

        let exchange = CampaignExchange(operation: operation, path: path, prepared: prepared, caller: caller,
                                        state: state, observer: observer, trace: trace)
        let idempotent = IdempotentExecution(store: state.idempotency, ttlSeconds: state.config.idempotency.ttlSeconds,
                                             leaseSeconds: Self.leaseSeconds(state.config.upstream))
        if prepared.dryRun {
            // Only a key's record is something to wait for; without one the dry run's answer is ready now.
            guard let key = prepared.idempotency else { return .done(.success(exchange.dryRun(idempotency: nil))) }
            return .pending { _ in .success(exchange.dryRun(idempotency: await idempotent.describe(key))) }
        }
        guard let key = prepared.idempotency else { return .exchange(exchange) }
        return .pending { log in await idempotent.run(key, log: &log) { log in await exchange.run(log: &log) } }
    }


    /// The longest a write can hold its `Idempotency-Key`: two paced calls (a read first and the write), each with
    /// its wait for a slot and its deadline, and a margin. Past it the key is free again.
    static func leaseSeconds(_ upstream: GatewayConfig.Upstream) -> Double {
        2 * (upstream.pacingMaxWaitSeconds + upstream.timeoutSeconds) + 30
    }

    /// Everything decided before any upstream call: the query, the preconditions and the translated body.
    struct PreparedCall: Sendable {
        var dryRun: Bool
        var listQuery: CampaignListQuery?
        var ifMatch: EntityTagCondition?
        var ifNoneMatch: EntityTagCondition?
        var upstreamBody: [UInt8]?
        /// The normalized schedule as sent (for the answer).
        var schedule: JSONValue?
        /// A write's `Idempotency-Key`, scoped and fingerprinted.
        var idempotency: IdempotentRequest?
    }

    func prepare(_ request: HTTPRequest, operation: GatewayOperation, path: CampaignPath,
                 caller: AuthenticatedCaller) -> Result<PreparedCall, Problem> {
        let version = caller.tenant.apiVersion
        var prepared = PreparedCall(dryRun: false)
        switch CampaignQuery.parse(request.query, allowsList: operation.query == .list) {
        case .failure(let problem): return .failure(problem)
        case .success(let query):
            prepared.dryRun = query.dryRun
            if operation.query == .list {
                switch CampaignListQuery.parse(query.listParameters, type: path.type) {
                case .failure(let failure):
                    return .failure(Problem(.invalidQuery, failure.errors.first.map(\.description) ?? "invalid list query"))
                case .success(let list):
                    prepared.listQuery = list
                    prepared.upstreamBody = ListRequestTranslator.upstreamBody(list, type: path.type)
                }
            }
        }
        // Before the body: what Kore.ai cannot do for this tenant is the first thing a caller should learn.
        guard UpstreamScheme.supports(operation.upstream, version: version) else {
            return .failure(Problem(.notSupportedUpstream, "Kore.ai documents \(operation.upstream.rawValue) for API v2 only; this tenant uses \(version.rawValue)"))
        }
        // Only writes have an effect to make safe; a read ignores the field.
        if operation.writes {
            switch IdempotencyKey.parse(request.headers) {
            case .failure(let problem): return .failure(problem)
            case .success(let key):
                prepared.idempotency = key.map {
                    IdempotentRequest(key: $0, client: caller.client.name, tenant: caller.tenant.name, method: request.method,
                                      path: request.path, body: request.body)
                }
            }
        }
        if operation.honorsIfMatch, let parsed = EntityTagCondition.parse(request.headers, name: "If-Match") {
            switch parsed {
            case .failure(let problem): return .failure(problem)
            case .success(.malformed):
                // Never ignored (the caller meant a precondition), and not "the campaign changed" either: nothing did.
                return .failure(Problem(.invalidPrecondition, "If-Match is not * or a list of quoted entity tags: send the ETag exactly as a GET answered it, double quotes included (If-Match: \"...\"); nothing was read or written"))
            case .success(let condition): prepared.ifMatch = condition
            }
        }
        if operation.tagged, let parsed = EntityTagCondition.parse(request.headers, name: "If-None-Match") {
            switch parsed {
            case .failure(let problem): return .failure(problem)
            case .success(let condition): prepared.ifNoneMatch = condition
            }
        }
        switch operation.body {
        case .none:
            break
        case .campaign(let purpose):
            // Read in place when it can be (no tree); otherwise the tree, whose reader and checks give every answer.
            if let problem = RequestBody.unreadable(request) { return .failure(problem) }
            if let translated = CampaignWriteTranslator.upstreamBody(fromNormalizedJSON: request.body, type: path.type,
                                                                     version: version, purpose: purpose) {
                switch translated {
                case .success(let body): prepared.upstreamBody = body
                case .failure(let failure): return .failure(RequestBody.validationProblem(failure))
                }
                break
            }
            switch RequestBody.json(request) {
            case .failure(let problem): return .failure(problem)
            case .success(let document):
                switch CampaignWriteTranslator.upstreamBody(fromNormalized: document, type: path.type, version: version, purpose: purpose) {
                case .success(let body): prepared.upstreamBody = body
                case .failure(let failure): return .failure(RequestBody.validationProblem(failure))
                }
            }
        case .schedule:
            switch RequestBody.json(request) {
            case .failure(let problem): return .failure(problem)
            case .success(let document):
                switch ScheduleTranslator.upstreamBody(fromNormalized: document) {
                case .success(let body):
                    prepared.upstreamBody = body
                    prepared.schedule = document
                case .failure(let failure): return .failure(RequestBody.validationProblem(failure))
                }
            }
        }
        return .success(prepared)
    }
}
