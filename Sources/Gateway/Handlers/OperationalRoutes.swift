import GatewayConfiguration
import KoreAdapter
import GatewayCrypto
import HTTPServer
import JSONCore

/// The routes outside `/campaigns`: health, readiness, metrics and the OpenAPI document. No authentication.
enum OperationalRoutes {
    static func handle(_ request: HTTPRequest, handler: GatewayHandler) -> Result<HTTPResponse, Problem> {
        // RFC 9110 9.3.7: `OPTIONS *` asks about the server as a whole (the parser admits `*` for OPTIONS only).
        // 204 with the methods some route supports; no authentication, nothing about tenants or campaigns.
        if request.path == "*" {
            let methods = GatewayOperation.allMethods.union(["GET", "HEAD", "OPTIONS"]).sorted().joined(separator: ", ")
            return .success(HTTPResponse(status: 204, headers: ["Allow": methods]))
        }
        // A switch, not a table of closures: nothing is built per request to find the route.
        let route: Route
        switch request.path {
        case "/healthz": route = .healthz
        case "/readyz": route = .readyz
        case "/metrics": route = .metrics
        case "/openapi.yaml": route = .openAPIYAML
        case "/openapi.json": route = .openAPIJSON
        default:
            let page = handler.state.config.apiPage
            guard page.enabled, let answer = APIPageRoutes.route(request.path, hints: page.hints) else {
                return .failure(Problem(.notFound, "no such route; the API is under /campaigns (see /openapi.yaml)"))
            }
            route = .apiPage(answer)
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            var problem = Problem(.methodNotAllowed, "\(request.method) is not supported on \(request.path)")
            problem.headers.add("Allow", "GET, HEAD")
            return .failure(problem)
        }
        switch route {
        case .healthz: return .success(healthy)
        case .readyz: return .success(readiness(handler))
        case .metrics: return .success(metrics(handler))
        case .openAPIYAML:
            return .success(HTTPResponse(status: 200, headers: ["Content-Type": "application/yaml"], body: Array(OpenAPIDocument.yaml.utf8)))
        case .openAPIJSON:
            return .success(HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(OpenAPIDocument.json.utf8)))
        case .apiPage(let answer): return .success(answer())
        }
    }

    private enum Route {
        case healthz, readyz, metrics, openAPIYAML, openAPIJSON
        /// The API page's files, when it is enabled.
        case apiPage(() -> HTTPResponse)
    }

    /// `/healthz`'s answer never changes: built once.
    private static let healthy = json(200, ["status": .string("ok")])

    static func json(_ status: Int, _ object: JSONObject) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
                     body: JSONWriter.write(.object(object)))
    }

    /// Ready when not draining and every tenant can mint a token that verifies with its own secret. The shared state
    /// is reported, never a reason to be unready: a Redis outage must not pull every replica out of the Service at
    /// once, and each one serves from its fallback meanwhile.
    static func readiness(_ handler: GatewayHandler) -> HTTPResponse {
        if handler.isDraining { return json(503, ["status": .string("draining")]) }
        let state = handler.state
        var failing: [JSONValue] = []
        for (name, tenant) in state.tenants.sorted(by: { $0.key < $1.key }) {
            let token = tenant.tokens.token()
            if case .failure = JWT.verify(token, secret: tenant.config.clientSecret) { failing.append(.string(name)) }
        }
        let sharedState = state.sharedState.readinessJSON
        if !failing.isEmpty {
            return json(503, ["status": .string("not ready"), "tenantsFailingTokenSelfTest": .array(failing), "sharedState": sharedState])
        }
        return json(200, ["status": .string("ready"), "tenants": .int(state.tenants.count), "sharedState": sharedState])
    }

    static func metrics(_ handler: GatewayHandler) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                     body: Array(handler.metricsText().utf8))
    }

}
