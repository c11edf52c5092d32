import RedisClient

/// `check-config --ping-redis`: connects as the gateway would (URL, TLS and its CA file, `AUTH`, `SELECT`), sends
/// `PING`, and reads the eviction policy, printing what it found.
enum RedisCheck {
    /// True when Redis answered `PING`; an eviction policy other than `noeviction` is a warning, not a failure (a
    /// dedicated instance with room to spare is fine).
    static func run(_ configuration: RedisClient.Configuration, keyPrefix: String) async -> Bool {
        let link = SharedStateLink(client: RedisClient(configuration: configuration), keyPrefix: keyPrefix,
                                   timeoutSeconds: configuration.commandTimeoutSeconds, logs: .discard,
                                   metrics: SharedStateMetrics(), backgroundProbes: false)
        if let problem = link.client.tlsProblem { print("redis: TLS cannot be set up: \(problem)") }
        let answered: Bool
        switch await link.ping() {
        case .success:
            print("redis: \(configuration.endpoint) answered PING" + (configuration.password == nil ? "" : " after AUTH"))
            let eviction = await link.checkEviction()
            print(eviction.isSafe ? "redis: \(eviction.message)" : "warning: \(eviction.message)")
            answered = true
        case .failure(let error):
            print("redis: \(configuration.endpoint): \(error)")
            answered = false
        }
        await link.shutdown()
        return answered
    }
}
