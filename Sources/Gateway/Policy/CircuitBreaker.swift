import Transport
import Synchronization

/// Per-tenant circuit breaker: after `threshold` consecutive failures (unavailable, timeout, 5xx) it
/// opens for `openSeconds`; then exactly one trial request is let through and decides whether it closes again.
public final class CircuitBreaker: Sendable {
    private enum State {
        case closed(failures: Int)
        case open(until: Double)
        case halfOpen(trialInFlight: Bool)
    }

    private let threshold: Int
    private let openSeconds: Double
    private let clock: @Sendable () -> Double
    private let state = Mutex<State>(.closed(failures: 0))

    public init(threshold: Int = 5, openSeconds: Double = 30, clock: @escaping @Sendable () -> Double = { MonotonicInstant.now().seconds }) {
        self.threshold = threshold
        self.openSeconds = openSeconds
        self.clock = clock
    }

    public enum Permission: Sendable, Equatable {
        case allowed
        case rejected(retryAfterSeconds: Int)
    }

    public func permit() -> Permission {
        let now = clock()
        return state.withLock { state in
            switch state {
            case .closed:
                return .allowed
            case .open(let until):
                if now >= until {
                    state = .halfOpen(trialInFlight: true)
                    return .allowed
                }
                return .rejected(retryAfterSeconds: max(1, Int((until - now).rounded(.up))))
            case .halfOpen(let trialInFlight):
                if trialInFlight { return .rejected(retryAfterSeconds: 1) }
                state = .halfOpen(trialInFlight: true)
                return .allowed
            }
        }
    }

    public func recordSuccess() {
        state.withLock { $0 = .closed(failures: 0) }
    }

    public func recordFailure() {
        let now = clock()
        state.withLock { state in
            switch state {
            case .closed(let failures):
                state = failures + 1 >= threshold ? .open(until: now + openSeconds) : .closed(failures: failures + 1)
            case .halfOpen, .open:
                state = .open(until: now + openSeconds)
            }
        }
    }

    /// A permitted call that says nothing about the upstream's health (it was never sent, or something in between
    /// answered instead): a half-open trial is given back for the next call; otherwise nothing changes.
    public func recordNeutral() {
        state.withLock { state in
            if case .halfOpen = state { state = .halfOpen(trialInFlight: false) }
        }
    }

    /// 0 closed, 1 open, 2 half-open (for the metric).
    public var stateValue: Int {
        state.withLock { state in
            switch state {
            case .closed: return 0
            case .open: return 1
            case .halfOpen: return 2
            }
        }
    }
}
