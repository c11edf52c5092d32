import Testing

/// Swift's cooperative pool has one thread per core (two on CI). Every suite runs in parallel on it, and the servers
/// under test hand their answers back through it, so one test that blocks a pool thread in a `recv`, a `waitpid` or a
/// polling sleep stalls every other test in the process: a held fsync test once saw its first request start 16 s
/// late, while a plain thread beside it was never more than 0.2 s late.
///
/// The blocking helpers below call `PoolGuard.check` first. Inside a task (an async test, or a synchronous test that
/// Swift Testing runs in one) they record an issue naming the call, so a blocking call that slipped onto the pool
/// fails its own test at once instead of making another suite flaky. Off the pool (`OffPool.run`, a `Thread`) they
/// run as before.
public enum PoolGuard {
    public static func check(_ call: String) {
        let onTask = withUnsafeCurrentTask { $0 != nil }
        if onTask {
            Issue.record("\(call) blocks a thread of Swift's cooperative pool, which every suite shares: call it inside OffPool.run, or use its async form")
        }
    }
}
