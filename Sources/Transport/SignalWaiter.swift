import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Delivers POSIX signals as async values, through Dispatch signal sources (never from a signal handler).
public final class SignalWaiter: Sendable {
    private struct State {
        var pending: [Int32] = []
        var waiter: CheckedContinuation<Int32, Never>?
    }
    private let state = Mutex<State>(State())
    /// Only held to keep the sources alive; never read or mutated after init, so sharing across threads is safe.
    nonisolated(unsafe) private let sources: [any DispatchSourceSignal]

    public init(signals: [Int32]) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)  // the default action would kill the process before the source sees it
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for (number, source) in zip(signals, sources) {
            source.setEventHandler { [weak self] in self?.deliver(number) }
            source.resume()
        }
    }

    private func deliver(_ number: Int32) {
        let waiter: CheckedContinuation<Int32, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending.append(number)
            return nil
        }
        waiter?.resume(returning: number)
    }

    public func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            let ready: Int32? = state.withLock { state in
                if !state.pending.isEmpty { return state.pending.removeFirst() }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
