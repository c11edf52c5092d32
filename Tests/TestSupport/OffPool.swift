import Foundation

/// Runs blocking test code (starting a child and waiting for its first line, running the openssl CLI) on a thread of
/// its own. Swift's cooperative pool has one thread per core (two here): a suite blocking them would starve every
/// other suite's tasks running in parallel, and their time bounds would fail for no fault of their own.
public enum OffPool {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Polls `ready` every 20 ms without holding a pool thread; false if it is still not ready after `seconds`.
    /// The polling resumes on a thread of its own (`OwnThread`): on the shared pool, a busy start of a run could use
    /// up the whole deadline between two looks.
    public static func poll(seconds: Double, _ ready: @Sendable () -> Bool) async -> Bool {
        (try? await OwnThread.run { _ in
            let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < end {
                if ready() { return true }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
            return ready()
        }) ?? ready()
    }

    /// True once something accepts TCP connections on 127.0.0.1:`port`.
    public static func waitForListener(port: Int, seconds: Double = 10) async -> Bool {
        await poll(seconds: seconds) {
            guard let fd = try? LoopbackSocket.connect(port: port) else { return false }
            close(fd)
            return true
        }
    }
}
