import Foundation
import RedisClient
import Testing
import Transport

/// Small helpers the Redis suites share.
enum RedisTest {
    static func client(_ url: String, username: String? = nil, password: String? = nil, caFile: String? = nil,
                       timeout: Double = 5, configure: (inout RedisClient.Configuration) -> Void = { _ in }) throws -> RedisClient {
        var configuration = try RedisClient.Configuration(url: url, username: username, password: password, caFile: caFile,
                                                          commandTimeoutSeconds: timeout)
        // Short reconnect delays, so tests that wait for a recovery wait little.
        configuration.reconnect = .init(minimumSeconds: 0.02, maximumSeconds: 0.2)
        configure(&configuration)
        return RedisClient(configuration: configuration)
    }

    /// The command's outcome as a value, for expectations on failures.
    static func result(_ client: RedisClient, _ command: [RedisArgument], timeout: Double? = nil) async -> Result<RedisReply, RedisError> {
        do {
            return .success(try await client.send(command, timeoutSeconds: timeout))
        } catch {
            return .failure(error)
        }
    }

    /// Seconds `body` took, on the monotonic clock.
    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = MonotonicInstant.now()
        let value = try await body()
        return (value, MonotonicInstant.now().seconds(since: start))
    }

    /// `INFO section` as `field: value`.
    static func info(_ client: RedisClient, _ section: String) async throws -> [String: String] {
        let text = try await client.send(["INFO", RedisArgument(section)]).string ?? ""
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return fields
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
