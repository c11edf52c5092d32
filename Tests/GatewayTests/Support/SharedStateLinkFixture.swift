import Foundation
@testable import Gateway
import RedisClient
import Synchronization
import TestSupport

/// Links to a Redis for the shared-state tests, with their log lines and metrics at hand.
struct SharedStateLinkFixture {
    let link: SharedStateLink
    let metrics: SharedStateMetrics
    let lines: LogCapture

    /// `clock` nil: the monotonic clock and background probes (after 50-200 ms); otherwise probes only when the
    /// test calls `probeIfDue`.
    /// The default timeout is long: a loaded machine's slow answers must not send a test's link to its fallback
    /// (a test about timeouts sets its own).
    init(url: String, timeoutSeconds: Double = 5, clock: ManualClock<Double>? = nil, prefix: String = "cgw:",
         metrics: SharedStateMetrics = SharedStateMetrics(), username: String? = nil, password: String? = nil,
         watchIntervalSeconds: Double = 1) throws {
        var configuration = try RedisClient.Configuration(url: url, username: username, password: password, commandTimeoutSeconds: timeoutSeconds)
        configuration.reconnect = .init(minimumSeconds: 0.02, maximumSeconds: 0.1)
        configuration.connectTimeoutSeconds = max(timeoutSeconds, 1)
        let lines = LogCapture()
        self.lines = lines
        self.metrics = metrics
        let logs = LogSink(minimumLevel: .debug) { bytes in lines.append(String(decoding: bytes, as: UTF8.self)) }
        if let clock {
            link = SharedStateLink(client: RedisClient(configuration: configuration), keyPrefix: prefix, timeoutSeconds: timeoutSeconds,
                                   logs: logs, metrics: metrics, clock: clock.closure, random: { 1 }, probeBackoff: (1, 4),
                                   backgroundProbes: false)
        } else {
            link = SharedStateLink(client: RedisClient(configuration: configuration), keyPrefix: prefix, timeoutSeconds: timeoutSeconds,
                                   logs: logs, metrics: metrics, probeBackoff: (0.1, 0.2), watchIntervalSeconds: watchIntervalSeconds)
        }
    }

    /// A link whose Redis is never reached (nothing listens on port 1); no call is made by building it.
    static func unreachable() -> SharedStateLink {
        let configuration = RedisClient.Configuration(endpoint: RedisEndpoint(host: "127.0.0.1", port: 1))
        return SharedStateLink(client: RedisClient(configuration: configuration), keyPrefix: "cgw:", timeoutSeconds: 0.1,
                               logs: .discard, metrics: SharedStateMetrics(), backgroundProbes: false)
    }

    /// `INFO commandstats` as command name and calls (`evalsha: 12`): what Redis executed, from its side.
    static func commandCalls(_ server: RedisServerProcess) async throws -> [String: Int] {
        let text = try await server.cli(["INFO", "commandstats"]).output
        var calls: [String: Int] = [:]
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            guard let colon = line.firstIndex(of: ":"), let field = line[colon...].split(separator: ",").first,
                  let count = Int(field.drop(while: { $0 != "=" }).dropFirst()) else { continue }
            calls[String(line[line.index(line.startIndex, offsetBy: 8)..<colon])] = count
        }
        return calls
    }

    /// How many lines carry `"event":"<event>"`.
    func count(event: String) -> Int {
        lines.text.components(separatedBy: "\"event\":\"\(event)\"").count - 1
    }
}
