@testable import Gateway
@testable import HTTPClient
import HTTPCore
import KoreAdapter
import Testing

/// The bytes a real upstream call puts on the wire, built the gateway's way (the tenant's prebuilt routes, the
/// per-request trace fields appended, the transport's target and fields, the client's encoder), must be the bytes of
/// the reference construction: `UpstreamScheme.request` built from the route table, its URL parsed whole, and the
/// head written by string concatenation.
@Suite struct UpstreamRequestBytesTests {
    static let transport = EventLoopHTTPTransport(client: HTTPClient())

    /// The head as the client has always written it: request line, Host, the fields in order, `Accept-Encoding`,
    /// then the framing and the body.
    static func reference(_ request: UpstreamRequest, extra: [(name: String, value: String)]) -> [UInt8]? {
        guard let target = HTTPRequestTarget(absoluteURL: request.url) else { return nil }
        var text = "\(request.method) \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        for (name, value) in request.headers + extra {
            guard value.utf8.allSatisfy(HTTPByteClass.isFieldValue) else { return nil }
            text += "\(name): \(value)\r\n"
        }
        text += "Accept-Encoding: identity\r\n"
        var out = Array(text.utf8)
        if let body = request.body {
            out += Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        } else {
            if ["POST", "PUT", "PATCH"].contains(request.method) { out += Array("Content-Length: 0\r\n".utf8) }
            out += Array("\r\n".utf8)
        }
        return out
    }

    @Test func everyCallsBytesAreTheReferenceBytes() throws {
        let tenants = [
            UpstreamTenant(baseURL: "https://platform.kore.ai", version: .v1, streamId: "st-0603182c",
                           accountId: "67777ce93e25326494e9xxxx"),
            UpstreamTenant(baseURL: "http://127.0.0.1:8081/proxy//", version: .v2, streamId: "st\\\"x",
                           accountId: "a\u{7F}b"),
            UpstreamTenant(baseURL: "https://[::1]:9443/k", version: .v2, streamId: "st-1", accountId: "acc-1"),
        ]
        let ids = try UpstreamCallSamples.idSegments.map { try #require(CampaignID(pathSegment: $0)) }
        let bodies = UpstreamCallSamples.bodies
        let traces = UpstreamCallSamples.traces(state: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        let tokens = ["eyJhbGciOiJIUzI1NiJ9." + String(repeating: "x", count: 301) + ".sig", "t"]
        var compared = 0, refused = 0
        for tenant in tenants {
            let routes = UpstreamTenantRoutes(tenant: tenant)
            for operation in CampaignOperation.allCases {
                for type in CampaignType.allCases {
                    for id in [nil] + ids {
                        for name in [nil, "n\"a\\m\u{1}e&x=1 y"] {
                            for body in bodies {
                                for trace in traces {
                                    for token in tokens {
                                        let built = CampaignExchange.request(operation, routes: routes, type: type, id: id, trace: trace,
                                                                             token: token, name: name, body: body)
                                        let plain = UpstreamScheme.request(operation: operation, type: type, id: id, campaignName: name,
                                                                           tenant: tenant, token: token, body: body)
                                        #expect((built == nil) == (plain == nil), "\(tenant.version) \(operation) \(type)")
                                        guard let built, let plain else { continue }
                                        let extra = [(name: "traceparent", value: trace.traceparent)]
                                            + (trace.state.map { [(name: "tracestate", value: $0)] } ?? [])
                                        let expected = Self.reference(plain, extra: extra)
                                        let written = Self.transport.outgoing(built).flatMap(HTTPRequestEncoder.encode)
                                        // As text, so a failure shows where the heads differ.
                                        #expect(written.map { String(decoding: $0, as: UTF8.self) }
                                                    == expected.map { String(decoding: $0, as: UTF8.self) },
                                                "\(tenant.version) \(operation) \(type) \(id?.value ?? "-") \(built.url)")
                                        if expected == nil { refused += 1 } else { compared += 1 }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Most calls are written; the tenant whose accountId holds a DEL is refused by both.
        #expect(compared > CampaignOperation.allCases.count * 2 * 24)
        #expect(refused > 0)
    }
}
