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
        let routes: [String: () -> HTTPResponse] = [
            "/healthz": { json(200, ["status": .string("ok")]) },
            "/readyz": { readiness(handler) },
            "/metrics": { metrics(handler) },
            "/openapi.yaml": { HTTPResponse(status: 200, headers: ["Content-Type": "application/yaml"], body: Array(OpenAPIDocument.yaml.utf8)) },
            "/openapi.json": { HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(OpenAPIDocument.json.utf8)) },
        ]
        let page = handler.state.config.apiPage
        guard let route = routes[request.path] ?? (page.enabled ? APIPageRoutes.route(request.path, hints: page.hints) : nil) else {
            return .failure(Problem(.notFound, "no such route; the API is under /campaigns (see /openapi.yaml)"))
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            var problem = Problem(.methodNotAllowed, "\(request.method) is not supported on \(request.path)")
            problem.headers.add("Allow", "GET, HEAD")
            return .failure(problem)
        }
        return .success(route())
    }

    static func json(_ status: Int, _ object: JSONObject) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
                     body: JSONWriter.write(.object(object)))
    }

    /// Ready when not draining and every tenant can mint a token that verifies with its own secret.
    static func readiness(_ handler: GatewayHandler) -> HTTPResponse {
        if handler.isDraining { return json(503, ["status": .string("draining")]) }
        let state = handler.state
        var failing: [JSONValue] = []
        for (name, tenant) in state.tenants.sorted(by: { $0.key < $1.key }) {
            let token = tenant.tokens.token()
            if case .failure = JWT.verify(token, secret: tenant.config.clientSecret) { failing.append(.string(name)) }
        }
        if !failing.isEmpty { return json(503, ["status": .string("not ready"), "tenantsFailingTokenSelfTest": .array(failing)]) }
        return json(200, ["status": .string("ready"), "tenants": .int(state.tenants.count)])
    }

    static func metrics(_ handler: GatewayHandler) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                     body: Array(handler.metricsText().utf8))
    }

}
