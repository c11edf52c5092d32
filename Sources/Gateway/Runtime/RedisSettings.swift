import GatewayConfiguration
import RedisClient

/// The `redis` block as the Redis client's configuration. The URL is read by the client's own parser
/// (`RedisEndpoint`), so the file and the client can never read it two ways; a URL it refuses is a configuration
/// issue at `redis.url`: `check-config` names it, `serve` and a reload refuse it.
public enum RedisSettings {
    public static func configuration(_ redis: GatewayConfig.Redis) -> Result<RedisClient.Configuration, ConfigError> {
        let endpoint: RedisEndpoint
        do throws(RedisEndpoint.URLError) {
            endpoint = try RedisEndpoint(url: redis.url)
        } catch {
            return .failure(ConfigError([ConfigIssue("redis.url", error.description)]))
        }
        var password: String?
        if let bytes = redis.password {
            // AUTH sends the password as given; a secret that is not UTF-8 text cannot be the one Redis was set up with.
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failure(ConfigError([ConfigIssue("redis.password", "is not UTF-8 text")]))
            }
            password = text
        }
        return .success(RedisClient.Configuration(
            endpoint: endpoint, username: redis.username, password: password,
            caFile: endpoint.usesTLS ? redis.caFile : nil,
            commandTimeoutSeconds: Double(redis.timeoutMilliseconds) / 1000))
    }

    /// Every problem of a configuration the gateway checks itself rather than the loader: the egress proxy (with the
    /// environment's variables) and the Redis URL. nil: none.
    public static func gatewayIssues(_ config: GatewayConfig, environment: [String: String]) -> ConfigError? {
        var issues: [ConfigIssue] = []
        if case .failure(let error) = EgressProxy.settings(configured: config.upstream.proxy, environment: environment) {
            issues += error.issues
        }
        if let redis = config.redis, case .failure(let error) = configuration(redis) { issues += error.issues }
        return issues.isEmpty ? nil : ConfigError(issues)
    }
}
