import Gateway
import KoreSimulator
import Foundation
import TestSupport
import Testing

@Suite struct OperationalEndToEndTests {
    @Test func healthReadinessAndOpenAPI() async throws {
        let h = try GatewayHarness()
        let health = try await h.send("GET", "/healthz", key: nil)
        let ready = try await h.send("GET", "/readyz", key: nil)
        let spec = try await h.send("GET", "/openapi.yaml", key: nil)
        let unknown = try await h.send("GET", "/nope", key: nil)
        let wrongMethod = try await h.send("POST", "/healthz", key: nil)
        h.runtime.handler.beginDraining()
        let draining = try await h.send("GET", "/readyz", key: nil)
        await h.stop()
        #expect(health.status == 200)
        #expect(ready.status == 200, "\(ready.text)")
        // Without a redis block the budget and the records are this process's, and readiness says so.
        #expect(ready.text.contains(#""sharedState":{"backend":"process"}"#), "\(ready.text)")
        #expect(spec.status == 200 && spec.text.hasPrefix("openapi: 3.1.0"))
        #expect(unknown.status == 404 && unknown.code == "not_found")
        #expect(wrongMethod.status == 405 && wrongMethod.header("Allow") == "GET, HEAD")
        #expect(draining.status == 503)
    }

    @Test func servedOpenAPIIsTheFileInTheRepository() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let onDisk = try String(contentsOf: repo.appendingPathComponent("openapi/openapi.yaml"), encoding: .utf8)
        #expect(onDisk == OpenAPIDocumentProbe.served, "run scripts/embed-openapi after editing openapi/openapi.yaml")
    }

    @Test func logsMetricsAndAnswersCarryNoSecretKeyOrToken() async throws {
        let h = try GatewayHarness()
        var replies: [GatewayHarness.Reply] = []
        replies.append(try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1", headers: ["X-Request-Id": "trace-me-1"]))
        replies.append(try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: "wrong-key"))
        replies.append(try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)", key: GatewayHarness.apiKeys["jti"], body: Samples.data(Samples.voiceBody(withDnc: true))))
        replies.append(try await h.send("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)?dryRun=true", tenant: "v1", body: Samples.data(Samples.voiceBody(withDnc: false))))
        h.simulator.inject(.status(401), count: 2)
        replies.append(try await h.send("DELETE", "/campaigns/sms/\(Samples.v2SmsDelete)", tenant: "v2"))
        replies.append(try await h.send("GET", "/metrics", key: nil))
        let tokens = h.simulator.calls.compactMap { call in call.headers.first { $0.0.lowercased() == "auth" }?.1 }
        await h.stop()
        #expect(!tokens.isEmpty, "no upstream call carried a token: nothing to look for")
        // Everything the gateway printed, and everything it answered (headers and bodies, the metrics included).
        let answers = replies.map { reply in
            reply.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n" + String(decoding: reply.body, as: UTF8.self)
        }.joined(separator: "\n")
        for needle in Array(GatewayHarness.apiKeys.values) + ["wrong-key", "secret-v1-for-tests-only", "secret-v2-for-tests-only", "secret-jti-for-tests-only"] + tokens {
            #expect(!answers.contains(needle), "an answer contains \(needle.prefix(12))…")
        }
        let text = h.logLines.text
        #expect(text.contains("\"requestId\":\"trace-me-1\""))
        #expect(text.contains("\"client\":\"all-app\""))
        #expect(text.contains("upstream_credentials_rejected"))
        var forbidden = Array(GatewayHarness.apiKeys.values) + ["wrong-key", "secret-v1-for-tests-only", "secret-v2-for-tests-only", "secret-jti-for-tests-only", "eyJ"]
        forbidden += tokens
        for needle in forbidden {
            #expect(!text.contains(needle), "log contains \(needle.prefix(12))…")
        }
        // Every line is one JSON object.
        for line in text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
        }
    }

    /// `/metrics` parsed by prometheus-client's own parser (not ours), with the series the operator needs.
    @Test func metricsParseWithPrometheusClient() async throws {
        let h = try GatewayHarness()
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1")
        _ = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1")
        _ = try await h.send("DELETE", "/campaigns/voice/x", key: "nope")
        let metrics = try await h.send("GET", "/metrics", key: nil)
        await h.stop()
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let script = """
        import sys, json
        from prometheus_client.parser import text_string_to_metric_families
        out = {}
        for family in text_string_to_metric_families(sys.stdin.read()):
            for sample in family.samples:
                out.setdefault(sample.name, []).append([sample.labels, sample.value])
        print(json.dumps(out))
        """
        let body = [UInt8](metrics.body)
        let parsed = try await OffPool.run { try PythonScript.run(script, input: body) }
        #expect(parsed.status == 0, "prometheus-client could not parse /metrics (pip install prometheus-client): \(parsed.output)")
        let samples = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [String: [[Any]]])
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            for sample in samples[name] ?? [] {
                guard sample.count == 2, let sampleLabels = sample[0] as? [String: String] else { continue }
                if labels.allSatisfy({ sampleLabels[$0.key] == $0.value }) { return (sample[1] as? NSNumber)?.doubleValue }
            }
            return nil
        }
        let route = "/campaigns/{type}/{id}"
        #expect(value("campaign_gateway_http_requests_total", ["route": route, "method": "DELETE", "status": "200"]) == 1)
        #expect(value("campaign_gateway_http_requests_total", ["route": route, "method": "DELETE", "status": "404"]) == 1)
        #expect(value("campaign_gateway_http_requests_total", ["route": route, "method": "DELETE", "status": "401"]) == 1)
        #expect(value("campaign_gateway_http_request_duration_seconds_count", ["route": route, "method": "DELETE", "status": "200"]) == 1)
        #expect(value("campaign_gateway_upstream_requests_total", ["tenant": "v1", "version": "v1", "outcome": "200"]) == 1)
        #expect(value("campaign_gateway_upstream_requests_total", ["tenant": "v1", "version": "v1", "outcome": "404"]) == 1)
        #expect(value("campaign_gateway_upstream_request_duration_seconds_bucket", ["tenant": "v1", "le": "+Inf", "outcome": "200"]) == 1)
        #expect(value("campaign_gateway_token_mints_total", ["tenant": "v1"]) == 1)
        #expect(value("campaign_gateway_problems_total", ["code": "campaign_not_found"]) == 1)
        #expect(value("campaign_gateway_circuit_breaker_state", ["tenant": "v1"]) == 0)
        #expect(value("campaign_gateway_open_connections", [:]).map { $0 >= 1 } == true)
        #expect(value("campaign_gateway_max_connections", [:]) == 10_000)  // the harness keeps the default limit
        #expect(samples["campaign_gateway_in_flight_requests"] != nil)
        #expect(samples["campaign_gateway_upstream_unknown_fields_total"] == nil)  // the seeds hold no unknown field
    }

    /// The demo prints a curl line; run the binary and that exact line.
    @Test func demoCurlLineWorksAsPrinted() async throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        let heading = "Delete a seeded voice campaign"
        let run = try await OffPool.run { try DemoBanner.run(binary: binary, headings: [heading]) }
        let result = try #require(run.results[heading], "no curl line under '\(heading)':\n\(run.printed)")
        #expect(result.curl.hasPrefix("curl "), "\(run.printed)")
        #expect(result.output.hasSuffix("\n200"), "\(result.output)")
        #expect(result.output.contains("\"id\":\"cd-2129073-58d9-44d5-a5d1-454b1220xxxx\""))
        #expect(result.output.contains("deleted successfully"))
    }
}
