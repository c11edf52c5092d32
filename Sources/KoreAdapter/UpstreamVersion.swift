/// Which generation of Kore.ai's campaign API a tenant speaks.
///
/// v1 lives under `/agentassist/api/v1/public/...`, v2 under `/campaign/api/v2/public/...` and additionally wants the
/// account id in the query. The raw value is what the gateway reports in `X-Upstream-Version` and in problem bodies.
public enum UpstreamVersion: String, Sendable, CaseIterable {
    case v1
    case v2
}
