import KoreAdapter
import Synchronization

/// The gateway's eyes: the log sink and the metrics behind `/metrics` (Prometheus naming: `_total` counters,
/// `_seconds` histograms, base units). Label values are bounded: routes are templates, never raw ids.
public final class GatewayObserver: Sendable {
    public let logs: LogSink
    /// `campaign_gateway_shared_state_up` and the fallback counter, emitted while a `SharedStateLink` reports here.
    public let sharedState = SharedStateMetrics()

    /// Hashed by the tenant name's hash (computed once per tenant when the configuration loads) and the outcome's
    /// code, made a label only when `/metrics` renders: hashing three strings and formatting the status per attempt
    /// cost about 800 instructions a call.
    private struct UpstreamKey: Hashable {
        var tenant: String
        var tenantHash: Int
        var version: String
        /// `UpstreamCaller.outcomeCode`.
        var outcome: Int
        var outcomeLabel: String { UpstreamCaller.outcomeLabel(code: outcome) }
        func hash(into hasher: inout Hasher) {
            hasher.combine(tenantHash)
            hasher.combine(outcome)
        }
    }
    private struct State {
        var requests = RequestSeriesTable()
        var upstream: [UpstreamKey: Histogram] = [:]
        var problems: [String: Int] = [:]
        var unknownFields: [String: Int] = [:]
        var unreadableFields: [String: Int] = [:]
        var retiredMints: [String: Int] = [:]
        var auditFailures = 0
    }
    private let state = Mutex(State())

    public init(logs: LogSink) {
        self.logs = logs
    }

    /// Distinct `field` label values of the unknown-field and unreadable-value counters: the names come from Kore.ai's
    /// answers, so an upstream that drifts (or sends a new key in every answer) would otherwise add series forever.
    /// Names beyond the first 100, and names longer than 128 bytes, count under `other`.
    static let maxUnknownFieldLabels = 100
    static let maxUnknownFieldLabelBytes = 128

    /// Methods are caller-controlled: anything unusual is folded into one label value (a switch: no hashing).
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "PUT", "DELETE", "POST", "PATCH", "OPTIONS": return method
        default: return "other"
        }
    }

    func request(route: String, method: String, status: Int, seconds: Double, problem: String?) {
        let method = Self.methodLabel(method)
        state.withLock { state in
            state.requests.observe(route: route, method: method, status: status, seconds: seconds)
            if let problem { state.problems[problem, default: 0] += 1 }
        }
    }

    /// One upstream attempt: `outcome` is `UpstreamCaller.outcomeCode` (the HTTP status, or a code for `timeout` /
    /// `unavailable` / `proxy_failed` / `connection_lost` / `too_large` / `bad_response`); `tenantHash` is
    /// `TenantRuntime.nameHash`.
    func upstreamAttempt(tenant: String, tenantHash: Int, version: String, outcome: Int, seconds: Double) {
        let key = UpstreamKey(tenant: tenant, tenantHash: tenantHash, version: version, outcome: outcome)
        state.withLock { $0.upstream[key, default: Histogram()].observe(seconds) }
    }

    /// Upstream fields the normalizer did not know: Kore.ai's responses drifted (kept under `extensions`).
    func unknownUpstreamFields(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        state.withLock { state in
            for path in paths { Self.count(path, in: &state.unknownFields) }
        }
    }

    /// Upstream fields the normalizer knows whose value it could not read (kept under `extensions`): a value of the
    /// wrong type or encoding, which a PUT of the read cannot carry back.
    func unreadableUpstreamValues(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        state.withLock { state in
            for path in paths { Self.count(path, in: &state.unreadableFields) }
        }
    }

    /// Keeps token-mint counters monotonic across reloads, which replace the tenants' token caches.
    func retire(_ tenants: [String: TenantRuntime]) {
        state.withLock { state in
            for (name, tenant) in tenants { state.retiredMints[name, default: 0] += tenant.tokens.mintCount }
        }
    }

    func auditFailed() { state.withLock { $0.auditFailures += 1 } }

    /// Counts `path` under a bounded label: array indices would make label values unbounded (`days[3].note` counts
    /// as `days[].note`), and the names themselves come from Kore.ai's answers, so past the cap (or past the length
    /// limit) a name counts as `other`.
    private static func count(_ path: String, in counters: inout [String: Int]) {
        var label = path.utf8.count > maxUnknownFieldLabelBytes ? "other" : withoutIndices(path)
        if counters[label] == nil && counters.count >= maxUnknownFieldLabels { label = "other" }
        counters[label, default: 0] += 1
    }

    static func withoutIndices(_ path: String) -> String {
        var out = ""
        var skipping = false
        for c in path {
            if c == "[" { skipping = true; out.append("[") } else if c == "]" { skipping = false; out.append("]") } else if !skipping { out.append(c) }
        }
        return out
    }

    /// The exposition. `connections` comes from the HTTP server, `tenants` from the current configuration.
    func render(tenants: [String: TenantRuntime], server: ServerGauges, draining: Bool) -> String {
        let s = state.withLock { $0 }
        var lines: [String] = []
        func header(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        header("campaign_gateway_build_info", "gauge", "Always 1; the version is a label.")
        lines.append("campaign_gateway_build_info{version=\"\(GatewayVersion.current)\"} 1")

        header("campaign_gateway_http_requests_total", "counter", "Requests answered, by route template, method and status.")
        let requestSeries = s.requests.series.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        for series in requestSeries {
            lines.append("campaign_gateway_http_requests_total{\(MetricsText.labels([("route", series.route), ("method", series.method), ("status", String(series.status))]))} \(series.histogram.count)")
        }
        header("campaign_gateway_http_request_duration_seconds", "histogram", "Time from a complete request to its response, by route, method and status.")
        for series in requestSeries {
            series.histogram.render(name: "campaign_gateway_http_request_duration_seconds",
                                    labels: MetricsText.labels([("route", series.route), ("method", series.method), ("status", String(series.status))]), into: &lines)
        }
        header("campaign_gateway_problems_total", "counter", "Error answers by problem code (rate_limited, upstream_timeout, ...).")
        for (code, count) in s.problems.sorted(by: { $0.key < $1.key }) {
            lines.append("campaign_gateway_problems_total{code=\"\(MetricsText.escape(code))\"} \(count)")
        }

        let upstreamKeys = s.upstream.keys.sorted { ($0.tenant, $0.version, $0.outcomeLabel) < ($1.tenant, $1.version, $1.outcomeLabel) }
        header("campaign_gateway_upstream_requests_total", "counter", "Calls to Kore.ai (each attempt), by tenant, API version and outcome (HTTP status or timeout/unavailable/proxy_failed/connection_lost/too_large/bad_response).")
        for key in upstreamKeys {
            lines.append("campaign_gateway_upstream_requests_total{\(MetricsText.labels([("tenant", key.tenant), ("version", key.version), ("outcome", key.outcomeLabel)]))} \(s.upstream[key]?.count ?? 0)")
        }
        header("campaign_gateway_upstream_request_duration_seconds", "histogram", "Duration of each call to Kore.ai, by tenant, API version and outcome.")
        for key in upstreamKeys {
            s.upstream[key]?.render(name: "campaign_gateway_upstream_request_duration_seconds",
                                    labels: MetricsText.labels([("tenant", key.tenant), ("version", key.version), ("outcome", key.outcomeLabel)]), into: &lines)
        }

        header("campaign_gateway_token_mints_total", "counter", "JWTs minted for Kore.ai, by tenant.")
        var mints = s.retiredMints
        for (name, tenant) in tenants { mints[name, default: 0] += tenant.tokens.mintCount }
        for (name, count) in mints.sorted(by: { $0.key < $1.key }) {
            lines.append("campaign_gateway_token_mints_total{tenant=\"\(MetricsText.escape(name))\"} \(count)")
        }
        header("campaign_gateway_circuit_breaker_state", "gauge", "Per tenant: 0 closed, 1 open, 2 half-open.")
        for (name, tenant) in tenants.sorted(by: { $0.key < $1.key }) {
            lines.append("campaign_gateway_circuit_breaker_state{tenant=\"\(MetricsText.escape(name))\"} \(tenant.breaker.stateValue)")
        }
        header("campaign_gateway_upstream_unknown_fields_total", "counter", "Upstream fields the normalizer did not know (kept under extensions): drift in Kore.ai's responses.")
        for (field, count) in s.unknownFields.sorted(by: { $0.key < $1.key }) {
            lines.append("campaign_gateway_upstream_unknown_fields_total{field=\"\(MetricsText.escape(field))\"} \(count)")
        }
        header("campaign_gateway_upstream_unreadable_values_total", "counter", "Known upstream fields whose value the normalizer could not read (kept under extensions).")
        for (field, count) in s.unreadableFields.sorted(by: { $0.key < $1.key }) {
            lines.append("campaign_gateway_upstream_unreadable_values_total{field=\"\(MetricsText.escape(field))\"} \(count)")
        }
        header("campaign_gateway_audit_write_failures_total", "counter", "Audit records that could not be written.")
        lines.append("campaign_gateway_audit_write_failures_total \(s.auditFailures)")
        header("campaign_gateway_log_lines_dropped_total", "counter", "Log lines dropped because standard output could not keep up.")
        lines.append("campaign_gateway_log_lines_dropped_total \(logs.droppedLines)")
        sharedState.render(into: &lines)
        header("campaign_gateway_open_connections", "gauge", "Client connections open now.")
        lines.append("campaign_gateway_open_connections \(server.openConnections)")
        header("campaign_gateway_max_connections", "gauge", "Open client connections past which new ones are refused (limits.maxConnections as the server started with it).")
        lines.append("campaign_gateway_max_connections \(server.maxConnections)")
        header("campaign_gateway_in_flight_requests", "gauge", "Requests being handled now.")
        lines.append("campaign_gateway_in_flight_requests \(server.inFlight)")
        header("campaign_gateway_draining", "gauge", "1 while shutting down.")
        lines.append("campaign_gateway_draining \(draining ? 1 : 0)")
        return lines.joined(separator: "\n") + "\n"
    }
}
