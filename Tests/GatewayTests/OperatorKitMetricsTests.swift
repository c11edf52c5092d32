import Foundation
import Gateway
import TestSupport
import Testing

/// The operator's kit names only what the gateway exposes: every metric name in the alerting rules
/// (`deploy/prometheus`) and the Grafana dashboard (`deploy/grafana`) is a name a running gateway's `/metrics` shows
/// after some traffic, and every label they select or group by is one its series carry (or Prometheus adds).
@Suite struct OperatorKitMetricsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// What an exposition says: the names a query can use (a histogram's `_bucket`, `_sum` and `_count`) and the
    /// label names of each series name that has samples.
    struct Exposition {
        /// What a query can select.
        var names: Set<String> = []
        /// The metric families (a histogram by its own name), which prose may name.
        var families: Set<String> = []
        var labels: [String: Set<String>] = [:]

        init(_ text: String) {
            for line in text.split(separator: "\n").map(String.init) {
                if line.hasPrefix("# TYPE ") {
                    let parts = line.split(separator: " ").map(String.init)
                    guard parts.count == 4 else { continue }
                    families.insert(parts[2])
                    names.formUnion(parts[3] == "histogram" ? [parts[2] + "_bucket", parts[2] + "_sum", parts[2] + "_count"] : [parts[2]])
                } else if !line.hasPrefix("#"), let name = line.split(whereSeparator: { $0 == "{" || $0 == " " }).first {
                    labels[String(name), default: []].formUnion(OperatorKitMetricsTests.matches(#"(\w+)=""#, in: line))
                }
            }
        }
    }

    static func matches(_ pattern: String, in text: String, group: Int = 1) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }

    /// The alerting rules' `expr` blocks and the rest of that file (comments, summaries, descriptions), and the
    /// dashboard's queries (its panels' targets and its variables' queries) and descriptions.
    static func kitText() throws -> (queries: [(file: String, text: String)], prose: [(file: String, text: String)]) {
        let rulesFile = "deploy/prometheus/campaign-gateway-alerts.yaml"
        let rules = try String(contentsOf: repository.appendingPathComponent(rulesFile), encoding: .utf8)
        var expressions: [String] = [], prose: [String] = []
        var exprIndent: Int?  // inside an `expr:` block scalar: the indentation of its key
        for line in rules.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            if let keyIndent = exprIndent, line.trimmingCharacters(in: .whitespaces).isEmpty || indent > keyIndent {
                expressions.append(line)
                continue
            }
            exprIndent = nil
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("expr:") {
                exprIndent = indent
                expressions.append(String(line.drop { $0 != ":" }.dropFirst()))
            } else {
                prose.append(line)
            }
        }
        let dashboardFile = "deploy/grafana/campaign-gateway.json"
        let dashboardData = try Data(contentsOf: repository.appendingPathComponent(dashboardFile))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: dashboardData) as? [String: Any])
        var queries: [String] = [], descriptions: [String] = [dashboard["description"] as? String ?? ""]
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
            for target in panel["targets"] as? [[String: Any]] ?? [] { queries.append(target["expr"] as? String ?? "") }
            descriptions.append(panel["description"] as? String ?? "")
        }
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        for variable in variables {
            if let query = (variable["query"] as? [String: Any])?["query"] as? String { queries.append(query) }
        }
        #expect(expressions.count >= 15 && queries.count >= 15,
                "the rules' or the dashboard's queries were not found: \(expressions.count), \(queries.count)")
        return ([(rulesFile, expressions.joined(separator: "\n")), (dashboardFile, queries.joined(separator: "\n"))],
                [(rulesFile, prose.joined(separator: "\n")), (dashboardFile, descriptions.joined(separator: "\n"))])
    }

    @Test func alertsAndDashboardNameOnlyExposedMetricsAndLabels() async throws {
        // With a redis block (nothing listens there: the replica paces alone), so the shared state's series are shown.
        var options = GatewayHarness.Options()
        options.configExtra = #", "redis": { "url": "redis://127.0.0.1:1/0" }"#
        let h = try GatewayHarness(options)
        // Traffic that fills the request, upstream, problem and token series.
        _ = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1")
        _ = try await h.send("DELETE", "/campaigns/sms/\(Samples.v2SmsDelete)", tenant: "v2")
        _ = try await h.send("GET", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: "not-a-key")
        _ = try await h.send("GET", "/campaigns/voice/cd-0000000-aaaa-4bbb-8ccc-absent00xxxx", tenant: "v2")
        let scraped = try await h.send("GET", "/metrics", key: nil)
        await h.stop()
        #expect(scraped.status == 200)
        let exposition = Exposition(scraped.text)
        for name in ["campaign_gateway_http_requests_total", "campaign_gateway_upstream_requests_total",
                     "campaign_gateway_problems_total", "campaign_gateway_token_mints_total"] {
            #expect(exposition.labels[name] != nil, "\(name) has no sample after the traffic:\n\(scraped.text)")
        }
        // Labels Prometheus adds to every scraped series, and a histogram bucket's bound.
        let added: Set<String> = ["job", "instance", "le"]
        let everyLabel = exposition.labels.values.reduce(added) { $0.union($1) }

        var checkedNames = Set<String>()
        let kit = try Self.kitText()
        for (file, text) in kit.prose {
            for name in Set(Self.matches(#"(campaign_gateway_[a-z_]+)"#, in: text)).sorted() {
                #expect(exposition.names.union(exposition.families).contains(name), "\(file) mentions \(name), which /metrics does not expose")
            }
        }
        for (file, text) in kit.queries {
            let names = Set(Self.matches(#"(campaign_gateway_[a-z_]+)"#, in: text))
            #expect(names.count >= 10, "\(file): few metric names found (\(names.sorted()))")
            for name in names.sorted() {
                #expect(exposition.names.contains(name), "\(file) names \(name), which /metrics does not expose")
            }
            checkedNames.formUnion(names)
            // A selector's labels: `name{label="...", other=~"..."}`.
            for selector in Self.matches(#"(campaign_gateway_[a-z_]+\{[^}]*\})"#, in: text) {
                let name = String(selector.prefix { $0 != "{" })
                guard let labels = exposition.labels[name] else { continue }  // no sample to compare with
                for label in Self.matches(#"(\w+)\s*(?:=~|!~|!=|=)\s*""#, in: selector) {
                    #expect(labels.union(added).contains(label), "\(file): \(selector) selects \(label), which \(name) does not carry (\(labels.sorted()))")
                }
            }
            // Grouping labels: `by (tenant, le)`, `without (route, method, status)`.
            for grouping in Self.matches(#"(?:by|without)\s*\(([^)]*)\)"#, in: text) {
                for label in grouping.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !label.isEmpty {
                    #expect(everyLabel.contains(label), "\(file): groups by \(label), which no series carries (\(everyLabel.sorted()))")
                }
            }
        }
        // The kit covers what the operations page says to watch.
        for family in ["http_requests_total", "http_request_duration_seconds_bucket", "problems_total", "upstream_requests_total",
                       "upstream_request_duration_seconds_bucket", "circuit_breaker_state", "upstream_unknown_fields_total",
                       "token_mints_total", "open_connections", "max_connections", "audit_write_failures_total", "log_lines_dropped_total", "draining",
                       "shared_state_up"] {
            #expect(checkedNames.contains("campaign_gateway_" + family), "neither the rules nor the dashboard use campaign_gateway_\(family)")
        }
    }
}
