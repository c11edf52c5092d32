import Foundation
import Gateway
import TestSupport
import Testing
import KoreSimulator
import GatewayConfiguration

/// The operation table is the one source of routing, Allow lists, scopes and route labels; the OpenAPI document
/// must describe exactly its rows.
@Suite struct OperationTableTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every campaign operation in openapi/openapi.yaml (read by PyYAML, not by us) is a row of the table with the
    /// same method, path, operationId and x-scope, and every row is in the document.
    @Test func openAPIDescribesExactlyTheOperationTable() async throws {
        let yaml = try String(contentsOf: Self.repository.appendingPathComponent("openapi/openapi.yaml"), encoding: .utf8)
        let script = """
        import sys, json, yaml
        doc = yaml.safe_load(sys.stdin.read())
        out = []
        for path, item in doc["paths"].items():
            if not path.startswith("/campaigns"):
                continue
            for method, op in item.items():
                if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                    out.append([method.upper(), path, op.get("operationId"), op.get("x-scope")])
        print(json.dumps(sorted(out)))
        """
        let parsed = try await OffPool.run { try PythonRunner.run(script, input: yaml) }
        #expect(parsed.status == 0, "PyYAML could not read the document (pip install pyyaml): \(parsed.output)\(parsed.error)")
        let documented = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [[String]])
        let table = GatewayOperation.table.map { [$0.method, $0.path.template, $0.id, $0.scope.rawValue] }
            .sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }
        #expect(documented.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") } == table)
    }

    /// `/openapi.json` is the YAML document, converted.
    @Test func openAPIJSONIsTheYAMLDocument() async throws {
        let h = try GatewayHarness()
        let json = try await h.send("GET", "/openapi.json", key: nil)
        await h.stop()
        #expect(json.status == 200 && json.header("Content-Type") == "application/json")
        let script = """
        import sys, json, yaml
        served = json.loads(sys.stdin.read())
        print("same" if served == yaml.safe_load(open("\(Self.repository.path)/openapi/openapi.yaml", encoding="utf-8")) else "different")
        """
        let compared = try await OffPool.run { try PythonRunner.run(script, input: json.text) }
        #expect(compared.output.trimmingCharacters(in: .whitespacesAndNewlines) == "same", "\(compared.output); run scripts/embed-openapi")
    }

    /// A method a path does not serve is 405 with exactly the table's methods for that path.
    @Test(arguments: CampaignPath.Shape.allCases)
    func allowListsComeFromTheTable(shape: CampaignPath.Shape) async throws {
        let h = try GatewayHarness()
        let path = shape.template.replacingOccurrences(of: "{type}", with: "voice").replacingOccurrences(of: "{id}", with: Samples.v1VoiceUpdate)
        let reply = try await h.send("PATCH", path, tenant: "v1")
        await h.stop()
        let expected = GatewayOperation.table.filter { $0.path == shape }.map(\.method).sorted().joined(separator: ", ")
        #expect(reply.status == 405 && reply.header("Allow") == expected, "\(reply.text)")
        #expect(h.simulator.callCount == 0)
    }

    /// Every operation is counted under its path template (never a raw id), by method and status.
    @Test func metricsCountEveryOperationUnderItsTemplate() async throws {
        let h = try GatewayHarness()
        let id = Samples.v2VoiceDelete
        _ = try await h.send("GET", "/campaigns/voice", tenant: "v2")
        _ = try await h.send("GET", "/campaigns/voice/\(id)", tenant: "v2")
        _ = try await h.send("POST", "/campaigns/voice/\(id)/start", tenant: "v2")
        _ = try await h.send("GET", "/campaigns/voice/\(id)/status", tenant: "v2")
        _ = try await h.send("POST", "/campaigns/voice/\(id)/stop", tenant: "v2")
        _ = try await h.send("PUT", "/campaigns/voice/\(id)/schedule", tenant: "v2", json: CampaignAPI.schedule(weekly: false))
        _ = try await h.send("DELETE", "/campaigns/voice/\(id)/schedule", tenant: "v2")
        _ = try await h.send("POST", "/campaigns/voice", tenant: "v2", json: CampaignAPI.voiceCreate("preview", name: "Metered", v2: true))
        let metrics = try await h.send("GET", "/metrics", key: nil)
        await h.stop()
        let text = metrics.text
        for (route, method, status) in [
            ("/campaigns/{type}", "GET", 200), ("/campaigns/{type}/{id}", "GET", 200), ("/campaigns/{type}/{id}/start", "POST", 200),
            ("/campaigns/{type}/{id}/status", "GET", 200), ("/campaigns/{type}/{id}/stop", "POST", 200),
            ("/campaigns/{type}/{id}/schedule", "PUT", 200), ("/campaigns/{type}/{id}/schedule", "DELETE", 200),
            ("/campaigns/{type}", "POST", 201),
        ] {
            let line = "campaign_gateway_http_requests_total{route=\"\(route)\",method=\"\(method)\",status=\"\(status)\"} 1"
            #expect(text.contains(line), "missing: \(line)")
        }
        #expect(!text.contains(id))
        // Every upstream call, the reads first included: list, get, start, get + status, stop, 2 x (get + schedule), create.
        #expect(text.contains("campaign_gateway_upstream_requests_total{tenant=\"v2\",version=\"v2\",outcome=\"200\"} 11"), "\(text)")
    }
}
