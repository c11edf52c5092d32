import KoreSimulator
import Foundation
import Testing

/// Every authentication and authorization failure, answered by the gateway alone: no upstream call.
@Suite struct CallerAuthEndToEndTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method = "DELETE"
        var path = "/campaigns/voice/\(Samples.v1VoiceDelete)"
        var key: String?
        var authorization: String?
        var tenant: String?
        var status: Int
        var code: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no key", key: nil, status: 401, code: "unauthorized"),
        Case(name: "unknown key", key: "not-a-key", status: 401, code: "unauthorized"),
        Case(name: "basic scheme", key: nil, authorization: "Basic dXNlcjpwYXNz", status: 401, code: "unauthorized"),
        Case(name: "empty bearer", key: nil, authorization: "Bearer ", status: 401, code: "unauthorized"),
        Case(name: "no key on unknown campaigns path", path: "/campaigns/nope", key: nil, status: 401, code: "unauthorized"),
        Case(name: "wrong scope", key: GatewayHarness.apiKeys["readonly"], status: 403, code: "insufficient_scope"),
        Case(name: "tenant not allowed", key: GatewayHarness.apiKeys["v1only"], tenant: "v2", status: 403, code: "tenant_forbidden"),
        Case(name: "tenant that does not exist", key: GatewayHarness.apiKeys["all"], tenant: "nope", status: 403, code: "tenant_forbidden"),
        Case(name: "tenant required", key: GatewayHarness.apiKeys["all"], status: 400, code: "tenant_required"),
        Case(name: "bad id after auth", path: "/campaigns/voice/a%2Fb", key: GatewayHarness.apiKeys["v1only"], status: 400, code: "invalid_campaign_id"),
        Case(name: "uppercase type", path: "/campaigns/VOICE/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"], status: 404, code: "not_found"),
        Case(name: "unknown method", method: "PATCH", key: GatewayHarness.apiKeys["v1only"], status: 405, code: "method_not_allowed"),
        Case(name: "undecodable dryRun never falls through to a real write", path: "/campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=%FF", key: GatewayHarness.apiKeys["v1only"], status: 400, code: "invalid_query"),
        Case(name: "misspelt dryrun is refused, not ignored", path: "/campaigns/voice/\(Samples.v1VoiceDelete)?dryrun=true", key: GatewayHarness.apiKeys["v1only"], status: 400, code: "invalid_query"),
        Case(name: "empty dryRun is not a boolean", path: "/campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=", key: GatewayHarness.apiKeys["v1only"], status: 400, code: "invalid_query"),
        Case(name: "bad dryRun", path: "/campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=maybe", key: GatewayHarness.apiKeys["v1only"], status: 400, code: "invalid_query"),
    ]

    @Test(arguments: cases)
    func refusedWithoutCallingKore(_ c: Case) async throws {
        let h = try GatewayHarness()
        var headers: [String: String] = [:]
        if let authorization = c.authorization { headers["Authorization"] = authorization }
        let reply = try await h.send(c.method, c.path, key: c.key, tenant: c.tenant, headers: headers)
        await h.stop()
        #expect(reply.status == c.status, "\(reply.text)")
        #expect(reply.code == c.code)
        #expect(reply.header("Content-Type") == "application/problem+json")
        #expect(reply.json?["requestId"] as? String == reply.header("X-Request-Id"))
        #expect(reply.json?["retryable"] as? Bool == false)
        if c.status == 401 { #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true) }
        if c.status == 405 { #expect(reply.header("Allow") == "DELETE, GET, PUT") }
        #expect(h.simulator.callCount == 0)
    }

    /// Ids that could change the upstream path or query never leave the gateway.
    // ("..", sent raw, is covered by the curl --path-as-is test: URLSession removes dot segments before sending.)
    @Test(arguments: ["a%2Fb", "%2E%2E", "a%3Fb", "a%23b", "%00", "a%0D%0Ab", "-leading", "a.b", String(repeating: "a", count: 129), "%C3%A9"])
    func hostileIdsAre400(id: String) async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/voice/\(id)", key: GatewayHarness.apiKeys["v1only"])
        await h.stop()
        #expect(reply.status == 400, "\(id): \(reply.text)")
        #expect(reply.code == "invalid_campaign_id")
        #expect(h.simulator.callCount == 0)
    }

    @Test func insaneRequestIdIsReplaced() async throws {
        let h = try GatewayHarness()
        let reply = try await h.send("DELETE", "/campaigns/voice/x", key: nil, headers: ["X-Request-Id": "bad id with spaces"])
        await h.stop()
        let id = try #require(reply.header("X-Request-Id"))
        #expect(id != "bad id with spaces")
        #expect(id.count == 24)
    }
}
