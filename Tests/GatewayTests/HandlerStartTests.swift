import Foundation
@testable import Gateway
import HTTPServer
import Testing

/// `GatewayHandler.start` answers on the loop what needs no wait (health, refusals, a dry run without an
/// `Idempotency-Key`) and hands back the rest; either way its answer is `handle`'s (the request id and trace ids
/// aside, which are new for every request).
@Suite(.timeLimit(.minutes(1)))
struct GatewayHandlerStartTests {
    static func request(_ method: String, _ target: String, key: String? = GatewayHarness.apiKeys["all"],
                        tenant: String? = "v2", extra: [(String, String)] = []) -> HTTPRequest {
        var headers = HTTPHeaders([("Host", "gateway"), ("X-Request-Id", "start-test")])
        if let key { headers.add("Authorization", "Bearer \(key)") }
        if let tenant { headers.add("X-Tenant", tenant) }
        for (name, value) in extra { headers.add(name, value) }
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        return HTTPRequest(method: method, target: target, path: parts[0], query: parts.count > 1 ? parts[1] : nil,
                           headers: headers)
    }

    /// Status, body and header fields, the trace ids (new for every request) and the pacing budget left (one less
    /// after each real call) masked.
    static func comparable(_ response: HTTPResponse) -> String {
        let fields = (response.headers.fields + response.finalFields.fields)
            .filter { $0.name.lowercased() != "ratelimit" }
            .map { "\($0.name): \($0.value)" }
        let text = "\(response.status) \(fields) \(String(decoding: response.body, as: UTF8.self))"
        return text.replacingOccurrences(of: "00-[0-9a-f]{32}-[0-9a-f]{16}-01", with: "<traceparent>", options: .regularExpression)
    }

    @Test
    func answeredAtOnceOrHandedBackAndTheSameAsHandle() async throws {
        let h = try GatewayHarness()
        let handler = h.runtime.handler
        let id = Samples.v2VoiceDelete
        let cases: [(HTTPRequest, answeredAtOnce: Bool)] = [
            (Self.request("GET", "/healthz", key: nil, tenant: nil), true),
            (Self.request("POST", "/healthz", key: nil, tenant: nil), true),
            (Self.request("GET", "/nowhere", key: nil, tenant: nil), true),
            (Self.request("DELETE", "/campaigns/voice/\(id)?dryRun=true"), true),
            (Self.request("DELETE", "/campaigns/voice/\(id)?dryRun=true", key: "wrong"), true),
            (Self.request("PATCH", "/campaigns/voice/\(id)"), true),
            (Self.request("DELETE", "/campaigns/voice/\(id)?dryRun=true", extra: [("Idempotency-Key", "k-1")]), false),
            (Self.request("GET", "/campaigns/voice/\(id)"), false),
        ]
        for (request, answeredAtOnce) in cases {
            let started: HTTPResponse
            switch handler.start(request) {
            case .answered(let response)?:
                #expect(answeredAtOnce, "\(request.method) \(request.target) was answered at once")
                started = response
            case .pending(let rest)?:
                #expect(!answeredAtOnce, "\(request.method) \(request.target) was handed back")
                started = await rest()
            case nil:
                Issue.record("\(request.method) \(request.target): no start")
                continue
            }
            let handled = await handler.handle(request)
            #expect(Self.comparable(started) == Self.comparable(handled), "\(request.method) \(request.target)")
            #expect(started.finalFields["X-Request-Id"] != nil && started.finalFields["traceparent"] != nil)
            #expect(started.headers["X-Request-Id"] == nil && started.headers["traceparent"] == nil)
        }
        await h.stop()
    }
}
