import Synchronization
import Testing
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

/// The transport's event loop and timer heap, below HTTP.
@Suite(.timeLimit(.minutes(1)))
struct EventLoopTests {
    /// Runs `work` on the loop and returns its result.
    static func onLoop<T: Sendable>(_ loop: EventLoop, _ work: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            if !loop.execute({ continuation.resume(returning: work()) }) { continuation.resume(returning: nil) }
        }
    }

    @Test
    func executeRunsOnTheLoopThreadInOrder() async throws {
        let loop = try EventLoop(name: "test-loop")
        try loop.start()
        #expect(!loop.isInEventLoop)
        let order = Mutex<[Int]>([])
        for i in 0..<100 { loop.execute { order.withLock { $0.append(i) } } }
        #expect(await Self.onLoop(loop) { loop.isInEventLoop } == true)
        #expect(order.withLock { $0 } == Array(0..<100))
        loop.stop()
        await loop.waitForExit()
        #expect(!loop.execute {})
    }

    @Test
    func timersFireInDeadlineOrderAndCancelledOnesDoNot() async throws {
        let loop = try EventLoop(name: "test-timers")
        try loop.start()
        let fired = Mutex<[String]>([])
        loop.execute {
            let now = MonotonicInstant.now()
            _ = loop.scheduleTimer(at: now.adding(seconds: 0.06)) { fired.withLock { $0.append("late") } }
            _ = loop.scheduleTimer(at: now.adding(seconds: 0.02)) { fired.withLock { $0.append("early") } }
            let cancelled = loop.scheduleTimer(at: now.adding(seconds: 0.04)) { fired.withLock { $0.append("cancelled") } }
            loop.cancelTimer(cancelled)
        }
        try await Task.sleep(nanoseconds: 150_000_000)
        #expect(fired.withLock { $0 } == ["early", "late"])
        loop.stop()
        await loop.waitForExit()
    }

    @Test
    func readinessIsDeliveredAndDeregistrationStopsIt() async throws {
        final class Counter: EventHandler, @unchecked Sendable {  // touched on the loop thread only
            var events = 0
            let fd: Int32
            init(fd: Int32) { self.fd = fd }
            func handleEvents(_ events: IOEvents) {
                self.events += 1
                var byte: UInt8 = 0
                _ = read(fd, &byte, 1)
            }
        }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let loop = try EventLoop(name: "test-ready")
        try loop.start()
        let counter = Counter(fd: readEnd)
        let registration = await Self.onLoop(loop) { try? loop.register(fd: readEnd, interest: .readable, handler: counter) }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(await Self.onLoop(loop) { counter.events } == 1)
        if let registration = registration ?? nil { _ = await Self.onLoop(loop) { loop.deregister(registration) } }
        _ = write(writeEnd, &byte, 1)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(await Self.onLoop(loop) { counter.events } == 1)
        loop.stop()
        await loop.waitForExit()
        close(readEnd)
        close(writeEnd)
    }

    @Test
    func timerHeapOrdersAndSkipsCancelled() {
        var heap = TimerHeap()
        var fired: [Int] = []
        var ids: [Int: TimerID] = [:]
        let deadlines = [50, 10, 40, 30, 20, 60, 5, 45]
        for d in deadlines {
            ids[d] = heap.schedule(at: MonotonicInstant(nanoseconds: UInt64(d))) { fired.append(d) }
        }
        if let id = ids[40] { heap.cancel(id) }
        if let id = ids[5] { heap.cancel(id) }
        #expect(heap.nextDeadline() == MonotonicInstant(nanoseconds: 10))
        for callback in heap.popExpired(now: MonotonicInstant(nanoseconds: 45)) { callback() }
        #expect(fired == [10, 20, 30, 45])
        for callback in heap.popExpired(now: MonotonicInstant(nanoseconds: 100)) { callback() }
        #expect(fired == [10, 20, 30, 45, 50, 60])
        #expect(heap.isEmpty)
    }

    @Test
    func instantArithmeticSaturates() {
        let t = MonotonicInstant(nanoseconds: 5)
        #expect(t.adding(seconds: -1) == t)
        #expect(t.adding(seconds: .infinity) == t)
        #expect(t.adding(seconds: 1e30) > t)
        #expect(MonotonicInstant(nanoseconds: UInt64.max - 1).adding(seconds: 1e12).nanoseconds == UInt64.max)
        #expect(t.adding(seconds: 1).seconds(since: t) == 1)
    }
}
