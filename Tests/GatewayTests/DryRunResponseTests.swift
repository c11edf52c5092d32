@testable import Gateway
import JSONCore
import KoreAdapter
import Testing

/// A dry run's answer is written straight to bytes; it must be exactly the tree's serialization, whatever the
/// request holds (a body that is JSON or not, a header name given twice, text that needs escaping).
@Suite struct DryRunResponseTests {
    static let requests: [UpstreamRequest] = [
        UpstreamRequest(method: "DELETE", url: "https://bots.kore.ai/api/public/v2/campaigns/cd-1?x=\"y\"",
                        headers: [("auth", "token"), ("accountId", "a\\b"), ("Content-Type", "application/json"),
                                  ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")],
                        body: nil),
        UpstreamRequest(method: "PUT", url: "http://127.0.0.1:9/api/1.1/public/bot/st-1/campaign/cd-2",
                        headers: [("AUTH", "t"), ("iid", "st-1"), ("iid", "st-2"), ("Auth", "u"), ("x\u{1}", "✓\n")],
                        body: Array(#"{"name":"n","list":[1,2.5e3,true,null,{"a":"\u0001"}]}"#.utf8)),
        UpstreamRequest(method: "POST", url: "http://h/p", headers: [], body: Array("not json \"at all\"".utf8)),
        UpstreamRequest(method: "GET", url: "http://h/p", headers: [("a", "1")], body: []),
    ]

    @Test func theAnswerIsTheTreeWrittenByJSONWriter() {
        let idempotency: JSONValue = .object(["key": .string("k-1"), "record": .string("none"), "keptSeconds": .int(86400)])
        for request in Self.requests {
            for readFirst in [nil] + Self.requests {
                for shown in [nil, idempotency] {
                    let written = DryRunResponse.body(request, readFirst: readFirst, idempotency: shown)
                    let reference = JSONWriter.write(DryRunResponse.tree(request, readFirst: readFirst, idempotency: shown))
                    #expect(String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
                }
            }
        }
    }

    @Test func theTokenIsRedactedWhateverItsCase() throws {
        let written = DryRunResponse.body(Self.requests[1], readFirst: nil, idempotency: nil)
        let headers = try JSONReader.parse(written)["upstreamRequest"]?["headers"]
        // `AUTH` is shown once, where it first came, redacted; `Auth` is a different JSON key and redacted too.
        #expect(headers?["AUTH"] == .string("<redacted>") && headers?["Auth"] == .string("<redacted>"))
        #expect(headers?["iid"] == .string("st-2"))
        #expect(!String(decoding: written, as: UTF8.self).contains("\"t\""))
    }

    /// The leading headers written once stand for a call's first headers only while no later header repeats one of
    /// their names (a repeated name takes the first place's member and gives it its last value); otherwise the
    /// call is written member by member, and the answer is still the tree's text.
    @Test func theLeadingHeadersWrittenOnceStepAsideForARepeatedName() {
        let leading: [(name: String, value: String)] = [("auth", DryRunResponse.redacted), ("iid", "st-\"1"), ("accountId", "a\\1"),
                                                        ("Content-Type", "application/json")]
        let described = DryRunResponse.DescribedHeaders(leading)
        let trace = (name: "traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let tails: [[(name: String, value: String)]] = [
            [], [trace], [trace, ("tracestate", "k=v\"")], [trace, ("iid", "st-2")], [("accountId", "other")],
            [("auth", "leak")], [("AUTH", "leak"), ("Auth", "x")], [trace, trace],
        ]
        for tail in tails {
            let request = UpstreamRequest(method: "DELETE", url: "http://h/p/cd-1", headers: leading + tail, body: nil)
            let call = DryRunResponse.Call(method: "DELETE", url: ("http://h", "/p/", "cd-1", ""), described: described,
                                           headers: tail, body: nil)
            let repeats = tail.contains { header in leading.contains { $0.name == header.name } }
            #expect(described.fits(tail) == !repeats, "\(tail.map(\.name))")
            #expect((call.described == nil) == repeats, "\(tail.map(\.name))")
            let written = DryRunResponse.body(call, readFirst: call, idempotency: nil)
            let reference = JSONWriter.write(DryRunResponse.tree(request, readFirst: request, idempotency: nil))
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self), "\(tail.map(\.name))")
        }
    }

    /// The dry run describes each call from the tenant's routes in pieces (`CampaignExchange.describedCall`) instead
    /// of building it (`CampaignExchange.request`): for both versions, every operation and type, ids short, long
    /// and odd, the name placeholder or a name needing escaping, bodies or none, with and without a `tracestate`,
    /// and a read first or not, the answer must be the tree's text for the built calls.
    @Test func theDescribedCallsAreTheBuiltCallsWrittenByJSONWriter() throws {
        let tenants = [
            UpstreamTenant(baseURL: "https://platform.kore.ai", version: .v1, streamId: "st-0603182c",
                           accountId: "67777ce93e25326494e9xxxx"),
            UpstreamTenant(baseURL: "http://127.0.0.1:8081/proxy//", version: .v2, streamId: "st\\\"x",
                           accountId: "a\u{7F}b\u{1}"),
        ]
        let ids = try UpstreamCallSamples.idSegments.map { try #require(CampaignID(pathSegment: $0)) }
        let bodies = UpstreamCallSamples.bodies
        let traces = UpstreamCallSamples.traces(state: "congo=t61rcWkgMzE,rojo=\"00f067aa0ba902b7")
        var compared = 0, described = 0
        for tenant in tenants {
            let routes = UpstreamTenantRoutes(tenant: tenant)
            let leading = DryRunResponse.DescribedHeaders(routes.leadingHeaders(token: DryRunResponse.redacted))
            let urls = DryRunResponse.DescribedURLs(routes)
            for operation in CampaignOperation.allCases {
                for type in CampaignType.allCases {
                    for id in [nil] + ids {
                        for name in [nil, CampaignExchange.namePlaceholder, "n\"a\\m\u{1}e&x=1"] {
                            for body in bodies {
                                for (trace, urlsGiven) in traces.flatMap({ trace in [(trace, false), (trace, true)] }) {
                                    let built = CampaignExchange.request(operation, routes: routes, type: type, id: id, trace: trace,
                                                                         token: DryRunResponse.redacted, name: name, body: body)
                                    // The URLs escaped here, and escaped once for the tenant.
                                    let call = CampaignExchange.describedCall(operation, routes: routes, described: leading,
                                                                              urls: urlsGiven ? urls : nil, type: type,
                                                                              id: id, trace: trace, name: name, body: body)
                                    #expect((built == nil) == (call == nil), "\(tenant.version) \(operation) \(type)")
                                    guard let built, let call else { continue }
                                    if call.described != nil { described += 1 }
                                    let builtRead = CampaignExchange.request(.get, routes: routes, type: type, id: id, trace: trace,
                                                                             token: DryRunResponse.redacted, name: nil, body: nil)
                                    let read = CampaignExchange.describedCall(.get, routes: routes, described: leading,
                                                                              urls: urlsGiven ? urls : nil, type: type,
                                                                              id: id, trace: trace, name: nil, body: nil)
                                    for withRead in [false, true] {
                                        let written = DryRunResponse.body(call, readFirst: withRead ? read : nil, idempotency: nil)
                                        let reference = JSONWriter.write(DryRunResponse.tree(built, readFirst: withRead ? builtRead : nil,
                                                                                             idempotency: nil))
                                        #expect(String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self),
                                                "\(tenant.version) \(operation) \(type) \(id?.value ?? "-") \(built.url)")
                                        compared += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > CampaignOperation.allCases.count * 2 * 48)
        #expect(described * 2 == compared)
    }

    /// The upstream calls the gateway really builds, for both versions and every operation (and type) with a route:
    /// ids short, long and odd, the schedule's name placeholder or text needing escaping, with and without a query
    /// string, a JSON body, a body that is not JSON, and none; the sized buffer's answer must be the tree's text.
    @Test func theAnswerForEveryRealUpstreamCallIsTheTreeWrittenByJSONWriter() throws {
        let tenants = [
            UpstreamTenant(baseURL: "https://platform.kore.ai", version: .v1, streamId: "st-0603182c",
                           accountId: "67777ce93e25326494e9xxxx"),
            UpstreamTenant(baseURL: "http://127.0.0.1:8081/proxy//", version: .v2, streamId: "st\\\"x",
                           accountId: "a\u{7F}b"),
        ]
        let ids = try UpstreamCallSamples.idSegments.map { try #require(CampaignID(pathSegment: $0)) }
        let bodies = UpstreamCallSamples.bodies
        let idempotency: JSONValue = .object(["key": .string("k\"1"), "record": .string("none"), "keptSeconds": .int(86400)])
        var compared = 0
        for tenant in tenants {
            let routes = UpstreamTenantRoutes(tenant: tenant)
            for operation in CampaignOperation.allCases {
                for type in CampaignType.allCases {
                    for id in [nil] + ids {
                        for name in [nil, CampaignExchange.namePlaceholder, "n\"a\\m\u{1}e"] {
                            for body in bodies {
                                guard var call = routes.request(operation: operation, type: type, id: id, campaignName: name,
                                                                token: DryRunResponse.redacted, body: body) else { continue }
                                call.headers.append((name: "traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                                var queried = call
                                queried.pathAndQuery += (queried.pathAndQuery.contains("?") ? "&" : "?") + "limit=10&q=%22\"x\""
                                let read = routes.request(operation: .get, type: type, id: id, token: DryRunResponse.redacted, body: nil)
                                for request in [call, queried] {
                                    for readFirst in [nil, read] {
                                        for shown in [nil, idempotency] {
                                            let reference = JSONWriter.write(DryRunResponse.tree(request, readFirst: readFirst, idempotency: shown))
                                            let written = DryRunResponse.body(request, readFirst: readFirst, idempotency: shown)
                                            #expect(String(decoding: written, as: UTF8.self) == String(decoding: reference, as: UTF8.self),
                                                    "\(tenant.version) \(operation) \(type) \(id?.value ?? "-") \(request.url)")
                                            compared += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Every operation has a route in each version, so far more than one call per operation was compared.
        #expect(compared > CampaignOperation.allCases.count * 2 * 24)
    }
}
