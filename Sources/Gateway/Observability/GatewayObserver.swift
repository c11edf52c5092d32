import Synchronization

/// The gateway's eyes: the log sink and the counters behind `/metrics`.
public final class GatewayObserver: Sendable {
    public let logs: LogSink
    private let counters = Mutex<[String: Int]>([:])

    public init(logs: LogSink) {
        self.logs = logs
    }

    /// Upstream fields the normalizer did not know: Kore.ai's responses drifted (kept under `extensions`).
    func unknownUpstreamFields(_ paths: [String]) {
        guard !paths.isEmpty else { return }
        counters.withLock { counters in
            for path in paths { counters["unknown:\(path)", default: 0] += 1 }
        }
    }

    func countRequest(route: String, method: String, status: Int) {
        counters.withLock { $0["request:\(route) \(method) \(status)", default: 0] += 1 }
    }

    public var snapshot: [String: Int] { counters.withLock { $0 } }
}
