import Transport

/// When the next connection attempt may start after failures: exponential from `minimumSeconds`, capped at
/// `maximumSeconds`, each delay drawn between half and all of its value so that replicas restarted together do not
/// reconnect in step. A success resets it. A pure value: the caller passes the time and the random draw.
public struct ReconnectBackoff: Sendable, Equatable {
    public struct Policy: Sendable, Equatable {
        public var minimumSeconds: Double
        public var maximumSeconds: Double

        public init(minimumSeconds: Double = 0.05, maximumSeconds: Double = 2) {
            self.minimumSeconds = minimumSeconds
            self.maximumSeconds = maximumSeconds
        }
    }

    public let policy: Policy
    /// Failures since the last success.
    public private(set) var failures = 0
    /// No attempt before this; nil when an attempt may start at once.
    public private(set) var notBefore: MonotonicInstant?

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    public func mayAttempt(at now: MonotonicInstant) -> Bool {
        guard let notBefore else { return true }
        return now >= notBefore
    }

    /// Records a failure at `now`; `unitRandom` in [0, 1) picks the delay within its jitter range. Returns the delay.
    @discardableResult
    public mutating func failed(at now: MonotonicInstant, unitRandom: Double) -> Double {
        failures = min(failures + 1, 64)
        let exponent = Double(min(failures - 1, 30))
        let full = min(policy.maximumSeconds, policy.minimumSeconds * pow2(exponent))
        let jitter = unitRandom.isFinite ? min(max(unitRandom, 0), 1) : 0
        let delay = full * (0.5 + 0.5 * jitter)
        notBefore = now.adding(seconds: delay)
        return delay
    }

    public mutating func succeeded() {
        failures = 0
        notBefore = nil
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var left = Int(exponent)
        while left > 0 {
            value *= 2
            left -= 1
        }
        return value
    }
}
