import Transport
import HTTPServer
import JSONCore
import Synchronization

/// The gateway's front door: picks the route, runs it with the current configuration, and turns every failure into
/// the problem+json shape. Knows nothing of sockets (the server calls it) or of Kore.ai (the endpoint does).
public final class GatewayHandler: HTTPHandler {
    private let current: Mutex<GatewayState>
    private let draining = Atomic<Bool>(false)
    public let observer: GatewayObserver
    public let audit: AuditLog
    private let endpoint: CampaignEndpoint
    private let serverGauges = Mutex<(@Sendable () -> ServerGauges)?>(nil)
    private let additionalRoutes: [String: AdditionalRoute]

    public init(state: GatewayState, observer: GatewayObserver, audit: AuditLog = AuditLog(),
                additionalRoutes: [AdditionalRoute] = []) {
        current = Mutex(state)
        self.observer = observer
        self.audit = audit
        endpoint = CampaignEndpoint(observer: observer)
        var routes: [String: AdditionalRoute] = [:]
        for route in additionalRoutes where routes[route.path] == nil { routes[route.path] = route }
        self.additionalRoutes = routes
    }

    public var state: GatewayState { current.withLock { $0 } }

    /// Swaps the configuration; requests already running keep the state they started with.
    public func replaceState(_ state: GatewayState) {
        let old = current.withLock { current in
            let old = current
            current = state
            return old
        }
        observer.retire(old.tenants)
    }

    /// Where `/metrics` reads the server's connection gauges (the server is created after the handler).
    public func setServerGauges(_ gauges: @escaping @Sendable () -> ServerGauges) {
        serverGauges.withLock { $0 = gauges }
    }

    func metricsText() -> String {
        let gauges = serverGauges.withLock { $0 }?() ?? ServerGauges(openConnections: 0, maxConnections: 0, inFlight: 0)
        return observer.render(tenants: state.tenants, server: gauges, draining: isDraining)
    }

    /// From now on `/readyz` answers 503 (SIGTERM drain).
    public func beginDraining() { draining.store(true, ordering: .releasing) }
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        switch begin(request) {
        case .answered(let response): return response
        case .pending(let rest): return await rest()
        }
    }

    /// On the loop thread, without a task: health, readiness, metrics, every refusal and a dry run are answered
    /// here; an upstream call (or an audit record to wait for) is returned as the rest of the work.
    public func start(_ request: HTTPRequest) -> HTTPHandlerStart? { begin(request) }

    /// Everything `handle` does up to its first wait, and the rest as a closure when there is one.
    func begin(_ request: HTTPRequest) -> HTTPHandlerStart {
        let started = MonotonicInstant.now().seconds
        let (requestId, trace) = RequestID.withTrace(request.headers)
        let state = self.state
        // The path is taken apart once: the route label and the endpoint share the match.
        let campaignMatch: CampaignPath.Match? = request.path == "/campaigns" || request.path.hasPrefix("/campaigns/")
            ? CampaignPath.match(path: request.path) : nil
        let additional = campaignMatch == nil ? additionalRoutes[request.path] : nil
        let route = additional?.path ?? Self.routeLabel(request.path, campaignMatch)
        // The request id (`RequestID` checked or made it) and a route label of the handler's own need no escaping in
        // the log line; an additional route's path is its owner's, escaped like any other text.
        var log = additional == nil ? RequestLogRecord(handlerRequestId: requestId, method: request.method, route: route)
            : RequestLogRecord(requestId: requestId, method: request.method, route: route)
        log.trace = trace
        if let campaignMatch {
            switch endpoint.begin(request, match: campaignMatch, state: state, trace: trace, log: &log) {
            case .done(let result):
                var response = campaignResponse(result, requestId: requestId, log: &log)
                // Nothing reached Kore.ai without a wait, so there is no audit record to wait for; should that ever
                // change, the record is still written before the answer.
                guard log.writeReachedUpstream, log.operation != nil, audit.isConfigured else {
                    finish(&response, method: request.method, requestId: requestId, trace: trace, log: &log, started: started)
                    return .answered(response)
                }
                let waiting = Self.take(&log), answer = response, method = request.method
                return .pending {
                    var log = waiting
                    return await self.conclude(answer, method: method, requestId: requestId, trace: trace, log: &log, started: started)
                }
            case .pending(let rest):
                // The record is moved into the closure (a copy cost about 16 retains and as many releases), and the
                // closure keeps the method, not the whole request.
                let waiting = Self.take(&log), method = request.method
                return .pending {
                    var log = waiting
                    let response = self.campaignResponse(await rest(&log), requestId: requestId, log: &log)
                    return await self.conclude(response, method: method, requestId: requestId, trace: trace, log: &log, started: started)
                }
            case .exchange(let exchange):
                // As `.pending`, with the exchange's `run` called here (no closure around it). These closures take
                // `self` without a capture list: the compiler gives a closure with one the default isolation and
                // wraps it to make it `HTTPHandlerStart.Rest` (an allocation, and a switch of executors around it).
                let waiting = Self.take(&log), method = request.method
                return .pending {
                    var log = waiting
                    let response = self.campaignResponse(await exchange.run(log: &log), requestId: requestId, log: &log)
                    return await self.conclude(response, method: method, requestId: requestId, trace: trace, log: &log, started: started)
                }
            }
        }
        var response: HTTPResponse
        if let additional {
            if additional.methods.contains(request.method) {
                let waiting = log
                return .pending {
                    var log = waiting
                    var response = await additional.respond(request)
                    self.finish(&response, method: request.method, requestId: requestId, trace: trace, log: &log, started: started)
                    return response
                }
            }
            var problem = Problem(.methodNotAllowed, "\(request.method) is not supported on \(request.path)")
            problem.headers.add("Allow", additional.methods.joined(separator: ", "))
            log.errorCode = problem.code.rawValue
            response = problem.response(requestId: requestId)
        } else {
            switch OperationalRoutes.handle(request, handler: self) {
            case .success(let ok): response = ok
            case .failure(let problem):
                log.errorCode = problem.code.rawValue
                response = problem.response(requestId: requestId)
            }
        }
        finish(&response, method: request.method, requestId: requestId, trace: trace, log: &log, started: started)
        return .answered(response)
    }

    /// `log`'s fields moved out, a blank record left in its place: a copy, where the record then goes into a closure,
    /// cost about 16 retains and as many releases (`consume` is not supported on this variable).
    private static func take(_ log: inout RequestLogRecord) -> RequestLogRecord {
        var taken = RequestLogRecord(requestId: "", method: "", route: "")
        swap(&taken, &log)
        return taken
    }

    /// A campaign route's outcome as the answer (a problem in its shape), with the tenant's API version.
    /// `result` is consumed so the answer's fields are not shared with it: a replace on a shared buffer copies it.
    private func campaignResponse(_ result: consuming Result<HTTPResponse, Problem>, requestId: String,
                                  log: inout RequestLogRecord) -> HTTPResponse {
        var response: HTTPResponse
        switch consume result {
        case .success(let ok): response = ok
        case .failure(let problem):
            log.errorCode = problem.code.rawValue
            response = problem.response(requestId: requestId)
        }
        if let version = log.upstreamVersion { response.headers.replace("X-Upstream-Version", version) }
        return response
    }

    /// A campaign answer after its wait: its audit record first, then what every answer gets. `response` is
    /// consumed so `finish` changes its fields without copying them.
    private nonisolated(nonsending) func conclude(_ response: consuming HTTPResponse, method: String, requestId: String, trace: TraceContext,
                          log: inout RequestLogRecord, started: Double) async -> HTTPResponse {
        await writeAudit(response, log: log, requestId: requestId)
        finish(&response, method: method, requestId: requestId, trace: trace, log: &log, started: started)
        return response
    }

    /// A write reached Kore.ai: the audit record is on disk before the caller hears the outcome. The task waits for
    /// the audit writer; the loop goes on serving other connections meanwhile. Without an audit log configured there
    /// is nothing to write, and the record is not built.
    private nonisolated(nonsending) func writeAudit(_ response: HTTPResponse, log: RequestLogRecord, requestId: String) async {
        guard log.writeReachedUpstream, let operation = log.operation, audit.isConfigured else { return }
        let record = AuditRecord.make(log, operation: operation, status: response.status)
        if await !audit.append(record) {
            observer.auditFailed()
            observer.logs.event(.error, "audit_write_failed", "an audit record could not be written", [("requestId", .string(requestId))])
        }
    }

    /// What every answer gets: its request id and trace context, then its metrics and log line.
    private func finish(_ response: inout HTTPResponse, method: String, requestId: String, trace: TraceContext,
                        log: inout RequestLogRecord, started: Double) {
        // After the answer's own fields, as final fields: a shared answer's field array is not copied to add them.
        // A problem's answer carries the request id already; the final one replaces it.
        response.headers.remove("X-Request-Id")
        response.finalFields.add("X-Request-Id", requestId)
        // The caller learns the gateway's span: its log line and audit record carry the same ids. Added, not replaced:
        // no answer the gateway builds carries these already.
        response.finalFields.add("traceparent", trace.traceparent)
        if let state = trace.state { response.finalFields.add("tracestate", state) }
        log.status = response.status
        log.gatewaySeconds = MonotonicInstant.now().seconds - started
        observer.request(route: log.route, method: method, status: response.status,
                         seconds: log.gatewaySeconds, problem: log.errorCode)
        observer.logs.request(log)
    }

    /// The route label for logs and metrics: an operational path as is, a campaign path's template, or `unmatched`.
    static func routeLabel(_ path: String, _ campaignMatch: CampaignPath.Match?) -> String {
        // A campaign path first: it is none of the others (they do not start with `/campaigns`), and hashing the
        // path into the page routes' set cost about 560 instructions a campaign request.
        if let campaignMatch { return CampaignPath.label(path, campaignMatch) }
        switch path {
        case "/healthz", "/readyz", "/metrics", "/openapi.yaml", "/openapi.json": return path
        case _ where APIPageRoutes.paths.contains(path): return path
        default: return "unmatched"
        }
    }

    /// The problem+json shape for requests the HTTP server itself refused (malformed, too large, too slow).
    @Sendable public static func rejectionResponse(_ rejection: HTTPRejection) -> HTTPResponse {
        // The request never parsed, so its X-Request-Id is unknown: a fresh one still lets the caller quote it.
        let problem = Problem(ProblemCode(rawValue: rejection.code) ?? .badRequest, rejection.detail, status: rejection.status)
        return problem.response(requestId: RequestID.from(HTTPHeaders()))
    }
}
