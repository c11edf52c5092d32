import Foundation

/// A `TaskExecutor` with one thread of its own. A test whose assertions depend on how soon its awaits resume (a
/// deadline, an elapsed time, "answered while held") runs under it, so its continuations do not queue behind the
/// hundreds of test cases every other suite has put on Swift's cooperative pool (two threads here): the flood at the
/// start of a run once delayed a resumption by 16 s while a plain thread beside it was never 0.2 s late.
public final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {  // state guarded by `condition`
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false
    private var running = false

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        // A job after `finish` (an unstructured task that outlived the test body) gets a thread again, never lost.
        if !running { startThread() }
        condition.signal()
        condition.unlock()
    }

    /// Called with `condition` held.
    private func startThread() {
        running = true
        let thread = Thread { [self] in runJobs() }
        thread.name = "test-own-thread"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Lets the thread end once its queue is empty.
    public func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                running = false
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll()
            condition.unlock()
            for job in batch { job.runSynchronously(on: executor) }
        }
    }
}

public enum OwnThread {
    /// Runs `body` with a thread of its own as its task executor: it and its structured child tasks resume there.
    /// An unstructured `Task` inside does not inherit the preference; give it `executor` explicitly.
    public static func run<T: Sendable>(_ body: (OwnThreadExecutor) async throws -> T) async throws -> T {
        let executor = OwnThreadExecutor()
        defer { executor.finish() }
        return try await withTaskExecutorPreference(executor) { try await body(executor) }
    }
}
