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
    func staleEventForAReusedDescriptorNumberIsDropped() async throws {
        // Two pipes become readable in the same epoll_wait batch. The first handler closes the second pipe and opens
        // a new one, which gets the freed descriptor number. The batch's event for the old pipe must not reach the
        // new handler: the generation in epoll_data no longer matches.
        final class Recorder: EventHandler, @unchecked Sendable {  // loop thread only
            var events = 0
            var fd: Int32 = -1
            var onEvent: (() -> Void)?
            func handleEvents(_ events: IOEvents) {
                self.events += 1
                var byte: UInt8 = 0
                _ = read(fd, &byte, 1)  // level-triggered: consume the readiness
                onEvent?()
                onEvent = nil
            }
        }
        var first: [Int32] = [0, 0]
        var second: [Int32] = [0, 0]
        #expect(pipe(&first) == 0 && pipe(&second) == 0)
        let loop = try EventLoop(name: "test-stale")
        try loop.start()
        let a = Recorder(), b = Recorder(), replacement = Recorder()
        a.fd = first[0]
        b.fd = second[0]
        let reused = Mutex<(reusedNumber: Bool, fds: [Int32])>((false, []))
        let oldNumber = second[0]
        let secondWrite = second[1]
        let (firstRead, firstWrite) = (first[0], first[1])
        _ = await Self.onLoop(loop) {
            guard let ra = try? loop.register(fd: firstRead, interest: .readable, handler: a),
                  let rb = try? loop.register(fd: oldNumber, interest: .readable, handler: b) else { return }
            a.onEvent = {
                loop.deregister(rb)
                var fresh: [Int32] = [0, 0]
                guard pipe(&fresh) == 0 else { return }
                // dup2 puts the new pipe's read end at exactly the old number (closing the old pipe), so the
                // reuse happens whatever other tests open meanwhile.
                guard dup2(fresh[0], oldNumber) == oldNumber else { return }
                close(fresh[0])
                replacement.fd = oldNumber
                _ = try? loop.register(fd: oldNumber, interest: .readable, handler: replacement)
                reused.withLock { $0 = (true, [fresh[1]]) }
            }
            _ = ra
            var byte: UInt8 = 1
            _ = write(firstWrite, &byte, 1)
            _ = write(secondWrite, &byte, 1)
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        let counts = await Self.onLoop(loop) { (a.events, b.events, replacement.events) }
        #expect(reused.withLock { $0.reusedNumber }, "the scenario needs the old descriptor number reused")
        #expect(counts?.0 == 1)
        // The batch's event for the old pipe reached neither its old handler nor the new owner of the number
        // (whose pipe has nothing to read, so any event it got would be the stale one).
        #expect(counts?.1 == 0)
        #expect(counts?.2 == 0)
        loop.stop()
        await loop.waitForExit()
        for fd in [firstRead, firstWrite, oldNumber, secondWrite] + reused.withLock({ $0.fds }) { close(fd) }
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
