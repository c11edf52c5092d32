import GatewayConfiguration
import HTTPClient

/// The egress proxy the gateway's upstream client uses: `upstream.proxy` when the file sets one, else the
/// environment's variables as curl reads them, with `NO_PROXY` either way. Every value that would be used is read by
/// the client's own parser, and one it cannot use is a configuration issue: `check-config` names it, `serve` and a
/// reload refuse it. Skipping it instead would connect to Kore.ai around a proxy the network may require.
public enum EgressProxy {
    public static func settings(configured: String?, environment: [String: String]) -> Result<ProxySettings, ConfigError> {
        var endpoint: ProxyEndpoint?
        if let configured {
            switch ProxyEndpoint.parse(configured) {
            case .success(let parsed): endpoint = parsed
            case .failure(let problem): return .failure(ConfigError([ConfigIssue("upstream.proxy", problem.reason)]))
            }
        }
        switch ProxySettings.resolve(configured: endpoint, environment: { environment[$0] }) {
        case .success(let settings): return .success(settings)
        case .failure(let error):
            return .failure(ConfigError([ConfigIssue("", "the environment variable \(error.variable) \(error.problem.reason)")]))
        }
    }
}
