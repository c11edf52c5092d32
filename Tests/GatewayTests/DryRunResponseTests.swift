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
}
