import HTTPServer
import Transport
import JSONCore
import KoreAdapter
import TextCoding
import GatewayConfiguration

/// The upstream part of one campaign request: the optional read first (for `If-Match`, or to learn the name a
/// schedule call is keyed by), then the operation's own call, each paced and sent through `UpstreamCaller`, and the
/// answer normalized in the operation's shape.
struct CampaignExchange: Sendable {
    let operation: GatewayOperation
    let path: CampaignPath
    let prepared: CampaignEndpoint.PreparedCall
    let caller: AuthenticatedCaller
    let state: GatewayState
    let observer: GatewayObserver
    /// Sent to Kore.ai with every call of this request (the read first included).
    let trace: TraceContext

    var version: UpstreamVersion { caller.tenant.apiVersion }
    var type: CampaignType { path.type }
    /// Whether the campaign is read before the call (its type checked there: a record of the other type is 404).
    var readsFirst: Bool { operation.readsNameFirst || operation.readsTypeFirst || prepared.ifMatch != nil }

    /// The placeholder a dry run shows where the name learnt from the read first goes.
    static let namePlaceholder = "{name}"

    func request(_ upstream: CampaignOperation, routes: UpstreamTenantRoutes, token: String, name: String?,
                 body: [UInt8]?) -> UpstreamRequest? {
        Self.request(upstream, routes: routes, type: type, id: path.id, trace: trace, token: token, name: name, body: body)
    }

    /// Static, so that the closure building each attempt's call captures these few values rather than a copy of the
    /// whole exchange (about twenty retains).
    static func request(_ upstream: CampaignOperation, routes: UpstreamTenantRoutes, type: CampaignType, id: CampaignID?,
                        trace: TraceContext, token: String, name: String?, body: [UInt8]?) -> UpstreamRequest? {
        guard var built = routes.request(operation: upstream, type: type, id: id, campaignName: name, token: token,
                                         body: body) else { return nil }
        // Per request, after the tenant's and the route's fixed headers.
        built.fields.append(HeaderField(name: "traceparent", value: trace.traceparent))
        if let state = trace.state { built.fields.append(HeaderField(name: "tracestate", value: state)) }
        return built
    }

    /// What `request` builds with the redacted token, as the dry run describes it: from the tenant's routes in
    /// pieces and its leading headers written once (`DryRunResponse.Call`), without building the call. The same
    /// per-request headers as `request` adds (a test holds the two descriptions equal for every call).
    static func describedCall(_ upstream: CampaignOperation, routes: UpstreamTenantRoutes,
                              described: DryRunResponse.DescribedHeaders, urls: DryRunResponse.DescribedURLs?,
                              type: CampaignType, id: CampaignID?,
                              trace: TraceContext, name: String?, body: [UInt8]?) -> DryRunResponse.Call? {
        guard let sketch = routes.sketch(operation: upstream, type: type, id: id, campaignName: name) else { return nil }
        let traceparent = (name: "traceparent", value: trace.traceparent)
        let headers = trace.state.map { [traceparent, (name: "tracestate", value: $0)] } ?? [traceparent]
        return DryRunResponse.Call(method: sketch.method, url: (sketch.origin, sketch.before, sketch.middle, sketch.after),
                                   escapedURL: urls?[sketch.route], described: described, headers: headers,
                                   body: sketch.body(body))
    }

    /// `idempotency`: what the request's `Idempotency-Key` would meet, shown as `idempotency`.
    func dryRun(idempotency: JSONValue? = nil) -> HTTPResponse {
        let name = operation.readsNameFirst ? Self.namePlaceholder : nil
        let read: DryRunResponse.Call?, call: DryRunResponse.Call?
        if let tenant = caller.runtime ?? state.tenants[caller.tenant.name] {
            let routes = tenant.routes, described = tenant.dryRunHeaders, urls = tenant.dryRunURLs
            read = readsFirst ? Self.describedCall(.get, routes: routes, described: described, urls: urls, type: type,
                                                   id: path.id, trace: trace, name: nil, body: nil) : nil
            call = Self.describedCall(operation.upstream, routes: routes, described: described, urls: urls, type: type,
                                      id: path.id, trace: trace, name: name, body: prepared.upstreamBody)
        } else {
            let placeholder = DryRunResponse.redacted
            let routes = UpstreamTenantRoutes(tenant: caller.tenant.upstreamTenant)
            read = readsFirst ? request(.get, routes: routes, token: placeholder, name: nil, body: nil).map(DryRunResponse.Call.init) : nil
            call = request(operation.upstream, routes: routes, token: placeholder, name: name, body: prepared.upstreamBody)
                .map(DryRunResponse.Call.init)
        }
        guard let call else {
            return Problem(.internalError, "no upstream route for this operation").response(requestId: nil)
        }
        return DryRunResponse.make(call, readFirst: read, version: version, idempotency: idempotency)
    }

    /// Runs the request and puts the `RateLimit` fields on its answer, success or problem, when a call was paced.
    /// `nonisolated(nonsending)` here and down the upstream call: the request's task stays on the executor it runs
    /// on (its connection's loop) instead of switching to the generic executor at every call and return.
    nonisolated(nonsending) func run(log: inout RequestLogRecord) async -> Result<HTTPResponse, Problem> {
        // The budget the request's calls saw, for its answer's `RateLimit` fields.
        var seen = PacingObservation()
        let result = await exchange(log: &log, seen: &seen)
        guard let fields = seen.fields() else { return result }
        // Consumed, not copied: a copy shares the fields' buffer and the first replace copies it (a malloc).
        switch consume result {
        case .success(var response):
            response.headers.replace("RateLimit-Policy", fields.policy)
            response.headers.replace("RateLimit", fields.current)
            return .success(response)
        case .failure(var problem):
            problem.headers.replace("RateLimit-Policy", fields.policy)
            problem.headers.replace("RateLimit", fields.current)
            return .failure(problem)
        }
    }

    private nonisolated(nonsending) func exchange(log: inout RequestLogRecord, seen: inout PacingObservation) async -> Result<HTTPResponse, Problem> {
        guard let tenant = caller.runtime ?? state.tenants[caller.tenant.name] else {
            return .failure(Problem(.internalError, "tenant state missing"))
        }
        // `upstream.timeoutSeconds` bounds the whole upstream exchange: the read first and the write share it.
        let timeout = state.caller.timeoutSeconds
        var knownName: String?
        if readsFirst {
            switch await readCurrent(tenant: tenant, upstreamSecondsLeft: timeout, log: &log, seen: &seen) {
            case .failure(let problem): return .failure(problem)
            case .success(let current):
                let tag = current.entityTag
                if let condition = prepared.ifMatch, !condition.matchesStrongly(tag) {
                    var problem = Problem(.preconditionFailed, "the campaign changed since the If-Match tag was read; GET it again, reapply the change, and send it with the current ETag")
                    problem.headers.add("ETag", tag)
                    return .failure(problem)
                }
                knownName = current.campaignName
                if operation.readsNameFirst && knownName == nil {
                    return .failure(Problem(.upstreamBadResponse, "Kore.ai's campaign record has no name, which its schedule call needs"))
                }
            }
        }
        let left = timeout - (log.upstreamSeconds ?? 0)
        let outcome = await send(operation.upstream, name: knownName, body: prepared.upstreamBody, tenant: tenant,
                                 upstreamSecondsLeft: left, log: &log, seen: &seen, resendable: operation.resendable)
        if operation.writes, outcome.attempts > 0 { log.writeReachedUpstream = true }
        let response: UpstreamResponse
        switch outcome.result {
        case .failure(let problem): return .failure(problem)
        case .success(let answered): response = answered
        }
        if let problem = UpstreamOutcomeMapper.problem(for: response, type: type, version: version) { return .failure(problem) }
        return answer(response, knownName: knownName)
    }

    /// One paced upstream call (retries are paced by the caller too) with what is left of the request's upstream
    /// time, recorded in the log: `upstreamStatus` is this call's answer (nil when it got none), so a write's record
    /// never shows the status of the read before it. Each attempt builds its call with the token it gets (from the
    /// tenant's prebuilt routes: cheaper than building it once and copying it with the token).
    private nonisolated(nonsending) func send(_ upstream: CampaignOperation, name: String?, body: [UInt8]?, tenant: TenantRuntime,
                                              upstreamSecondsLeft: Double, log: inout RequestLogRecord,
                                              seen: inout PacingObservation, resendable: Bool) async -> UpstreamCaller.Outcome {
        log.upstreamStatus = nil
        let account = caller.tenant.accountId
        // Every row exists for the operations `prepare` admitted (it checked `UpstreamScheme.supports`); a miss would
        // be a table bug, answered as such rather than sent anywhere.
        guard tenant.routes.hasRequest(operation: upstream, type: type, id: path.id, campaignName: name) else {
            return UpstreamCaller.Outcome(result: .failure(Problem(.internalError, "no upstream route for this operation")), attempts: 0, upstreamSeconds: 0)
        }
        let pacer = state.pacer
        let slot = await pacer.slot(account: account)
        seen.record(slot.quota)
        if case .refused(let problem, _) = slot {
            return UpstreamCaller.Outcome(result: .failure(problem), attempts: 0, upstreamSeconds: 0)
        }
        let retryPacing = UpstreamCaller.RetryPacing(pacer: pacer, account: account)
        let routes = tenant.routes, type = type, id = path.id, trace = trace
        // The deadline starts once the slot is taken: a wait for the account's budget is the gateway's, not Kore.ai's.
        let outcome = await state.caller.call(tenant: tenant, deadline: MonotonicInstant.now().seconds + upstreamSecondsLeft,
                                              pacing: retryPacing, resendable: resendable,
                                              build: { Self.request(upstream, routes: routes, type: type, id: id, trace: trace,
                                                                    token: $0, name: name, body: body) })
        seen.update(with: outcome.pacing)
        log.upstreamAttempts = (log.upstreamAttempts ?? 0) + outcome.attempts
        log.upstreamSeconds = (log.upstreamSeconds ?? 0) + outcome.upstreamSeconds
        if case .success(let response) = outcome.result {
            log.upstreamStatus = response.status
            if response.status == 401 || response.status == 403 {
                observer.logs.event(.error, "upstream_credentials_rejected", "Kore.ai refused the tenant's token twice; check clientId, clientSecret and the app's scope",
                                    [("tenant", .string(caller.tenant.name)), ("upstreamStatus", .int(response.status)), ("requestId", .string(log.requestId))])
            }
        }
        return outcome
    }

    /// GET the campaign as it is now (normalized), 404 when it is of the other type.
    private nonisolated(nonsending) func readCurrent(tenant: TenantRuntime, upstreamSecondsLeft: Double, log: inout RequestLogRecord,
                                                     seen: inout PacingObservation) async -> Result<NormalizedResponse, Problem> {
        let outcome = await send(.get, name: nil, body: nil, tenant: tenant, upstreamSecondsLeft: upstreamSecondsLeft, log: &log,
                                 seen: &seen, resendable: true)
        log.readFirstStatus = log.upstreamStatus
        log.readFirstAttempts = outcome.attempts
        switch outcome.result {
        case .failure(let problem): return .failure(problem)
        case .success(let response):
            if let problem = UpstreamOutcomeMapper.problem(for: response, type: type, version: version) { return .failure(problem) }
            return normalizedCampaign(response, as: .get)
        }
    }

    private func normalizedCampaign(_ response: UpstreamResponse, as upstream: CampaignOperation) -> Result<NormalizedResponse, Problem> {
        let normalized: NormalizedResponse
        do {
            normalized = try CampaignAnswerNormalizer.normalize(upstreamBody: response.body, operation: upstream, type: type, version: version)
        } catch {
            return .failure(UpstreamOutcomeMapper.badResponse(response, version))
        }
        // The type first: a record of the other type, read through this type's mapper, is not drift.
        if upstream == .get, let recordType = normalized.recordType, recordType != type.rawValue {
            return .failure(Problem(.campaignNotFound, "no \(type.rawValue) campaign with this id"))
        }
        observer.unknownUpstreamFields(normalized.unknownFields)
        observer.unreadableUpstreamValues(normalized.unreadableFields)
        return .success(normalized)
    }

    private func answer(_ response: UpstreamResponse, knownName: String?) -> Result<HTTPResponse, Problem> {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        let id = path.id?.value ?? ""
        do {
            switch operation.answer {
            case .campaign:
                let normalized: NormalizedResponse
                switch normalizedCampaign(response, as: operation.upstream) {
                case .failure(let problem): return .failure(problem)
                case .success(let found): normalized = found
                }
                if operation.tagged {
                    let tag = normalized.entityTag
                    headers.add("ETag", tag)
                    headers.add("Cache-Control", "private, no-cache")
                    if let condition = prepared.ifNoneMatch, condition.matchesWeakly(tag) {
                        return .success(HTTPResponse(status: 304, headers: ["ETag": tag, "Cache-Control": "private, no-cache"]))
                    }
                } else {
                    headers.add("Cache-Control", "no-store")
                    // A write's answer that holds the campaign carries the tag a GET would give, so edits chain
                    // without another read. Not v1 preview's bare create answer (an id and nothing else): Kore.ai's record
                    // states at least the campaign's name.
                    if operation.upstream == .update || operation.upstream == .create, normalized.campaignName != nil {
                        headers.add("ETag", normalized.entityTag)
                    }
                }
                if operation.successStatus == 201, let created = normalized.campaignID,
                   CampaignID(pathSegment: created)?.value == created {
                    headers.add("Location", "/campaigns/\(type.rawValue)/\(created)")
                }
                return .success(HTTPResponse(status: operation.successStatus, headers: headers, body: normalized.body))
            case .list:
                let query = prepared.listQuery ?? CampaignListQuery()
                let output = try CampaignAnswerNormalizer.normalizeList(upstreamBody: response.body, query: query, type: type, version: version)
                observer.unknownUpstreamFields(output.unknownFields)
                observer.unreadableUpstreamValues(output.unreadableFields)
                headers.add("Cache-Control", "no-store")
                return .success(HTTPResponse(status: 200, headers: headers, body: output.body))
            case .run:
                let output = try RunStateNormalizer.normalize(upstreamBody: response.body, operation: operation.upstream,
                                                              type: type, id: id, knownName: knownName)
                observer.unknownUpstreamFields(output.unknownFields)
                observer.unreadableUpstreamValues(output.unreadableFields)
                headers.add("Cache-Control", "no-store")
                return .success(HTTPResponse(status: 200, headers: headers, body: output.body))
            case .schedule:
                let body = try ScheduleTranslator.normalizedAnswer(upstreamBody: response.body, id: id, type: type, name: knownName,
                                                                   requested: operation.upstream == .schedule ? prepared.schedule : nil)
                headers.add("Cache-Control", "no-store")
                return .success(HTTPResponse(status: 200, headers: headers, body: body))
            }
        } catch {
            return .failure(UpstreamOutcomeMapper.badResponse(response, version))
        }
    }
}
