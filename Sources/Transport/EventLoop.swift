import CEpoll
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The thread-specific slot behind `EventLoop.current` (created once, never deleted).
private let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// One epoll instance driven by a dedicated thread. Level-triggered: handlers read a bounded amount per wake-up
/// and drop read interest while they do not want bytes (level-triggered readiness with idle interest would spin).
///
/// Thread safety: `execute`, `stop`, `waitForExit` and `isInEventLoop` may be called from any thread.
/// Everything else (`register`, `setInterest`, `deregister`, timers) must run on the loop thread, e.g. inside
/// `execute`, or before `start()` on the thread that created the loop.
///
/// `@unchecked Sendable`: the loop-confined fields (`slots`, `timers`, `stopRequested`, `running`) are only touched by the
/// loop thread (every entry point to them calls `assertInEventLoop()`); the cross-thread state lives in the `shared`
/// Mutex and `loopThread` Atomic.
public final class EventLoop: @unchecked Sendable {
    /// Queued work: a closure, or a task's job to run on a task executor (queued as it is: wrapping it in a closure
    /// allocated a context per resumption).
    private enum Work: Sendable {
        case closure(@Sendable () -> Void)
        case job(UnownedJob, UnownedTaskExecutor)
    }

    private struct Shared {
        var queue: [Work] = []
        /// An eventfd write is outstanding; further producers need not write again.
        var wakeupPending = false
        /// False once the loop exited and closed its descriptors: late work is dropped, never written to a reused fd.
        var open = true
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct Slot {
        var generation: UInt32
        var handler: any EventHandler
    }

    /// epoll_data value of the wake-up eventfd; real registrations never produce it (generation 0 is skipped).
    private static let wakeupData: UInt64 = 0

    public let name: String
    private let epfd: Int32
    private let wakeFD: Int32
    private let shared = Mutex(Shared())
    private let loopThread = Atomic<UInt>(0)

    private var slots: [Slot?] = []
    private var nextGeneration: UInt32 = 1
    private var timers = TimerHeap()
    private var stopRequested = false
    /// The queue's other buffer: swapped with `shared.queue` to take the work, emptied after running it (keeping its
    /// capacity, and unique by then), so taking work allocates nothing. Copying the queue out and emptying it in
    /// place had allocated a new buffer every time, the copy still sharing the old one.
    private var running: [Work] = []

    public init(name: String = "event-loop") throws(SocketError) {
        self.name = name
        let ep = epoll_create1(CEPOLL_EPOLL_CLOEXEC)
        if ep < 0 { throw SocketError.current("epoll_create1") }
        let efd = eventfd(0, CEPOLL_EFD_FLAGS)
        if efd < 0 {
            let error = SocketError.current("eventfd")
            Syscall.close(ep)
            throw error
        }
        do throws(SocketError) {
            try Syscall.epollControl(ep, CEPOLL_CTL_ADD, efd, events: CEPOLL_IN, data: Self.wakeupData)
        } catch {
            Syscall.close(efd)
            Syscall.close(ep)
            throw error
        }
        epfd = ep
        wakeFD = efd
    }

    deinit {
        // A loop whose thread never ran still owns its descriptors (a running loop closes them in `finish`).
        let neverRan = shared.withLock { state in state.open }
        if neverRan {
            Syscall.close(wakeFD)
            Syscall.close(epfd)
        }
    }

    /// Starts the loop's thread.
    public func start() throws(SocketError) {
        try LoopThread.spawn(name: name) { [self] in run() }
    }

    /// The loop whose thread is calling, or nil off every loop thread. Lets code reached from a handler running on
    /// its connection's loop (an upstream call, say) stay on that loop instead of hopping to another thread.
    public static var current: EventLoop? {
        guard let raw = pthread_getspecific(currentLoopKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(raw).takeUnretainedValue()
    }

    /// True when called on this loop's thread.
    public var isInEventLoop: Bool {
        let current = UInt(pthread_self())
        return loopThread.load(ordering: .acquiring) == current
    }

    /// Checks, in debug builds and tests, that loop-confined state is touched on this loop's thread (or before the
    /// loop's thread exists, while the creating thread still owns everything). A mistake then traps where it is
    /// made instead of corrupting state some time later; release builds pay nothing.
    @inline(__always)
    public func assertInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(loopThread.load(ordering: .acquiring) == 0 || isInEventLoop,
               "loop-confined state of \(name) touched off its thread", file: file, line: line)
    }

    /// Queues `work` to run on the loop thread and wakes the loop. Returns false (work dropped) once the loop exited.
    @discardableResult
    public func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        enqueue(.closure(work))
    }

    /// Queues `job` to run on the loop thread on `executor` (a task executor backed by this loop), in order with
    /// the closures given to `execute`. Returns false (job not queued; the caller must run it) once the loop exited.
    @discardableResult
    public func enqueue(_ job: UnownedJob, on executor: UnownedTaskExecutor) -> Bool {
        enqueue(.job(job, executor))
    }

    private func enqueue(_ work: Work) -> Bool {
        let onLoop = isInEventLoop
        return shared.withLock { state in
            guard state.open else { return false }
            state.queue.append(work)
            // On the loop thread the queue is checked before the next epoll_wait; no wake-up needed.
            if !onLoop && !state.wakeupPending {
                state.wakeupPending = true
                var one: UInt64 = 1
                // EAGAIN only if the counter is at its maximum, which already means "wake up".
                _ = Glibc.write(wakeFD, &one, 8)
            }
            return true
        }
    }

    /// Asks the loop to exit after the current iteration. Registered descriptors are not closed: their owners do that.
    public func stop() {
        execute { [self] in stopRequested = true }
    }

    /// Returns once the loop thread has left its run loop and closed its descriptors.
    public func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = shared.withLock { state -> Bool in
                if state.exited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    // MARK: Registrations (loop thread only)

    public func register(fd: Int32, interest: IOEvents, handler: any EventHandler) throws(SocketError) -> Registration {
        assertInEventLoop()
        let generation = nextGeneration
        nextGeneration &+= 1
        if nextGeneration == 0 { nextGeneration = 1 }
        let registration = Registration(fd: fd, generation: generation, interest: interest)
        try Syscall.epollControl(epfd, CEPOLL_CTL_ADD, fd, events: interest.epollMask, data: registration.epollData)
        let index = Int(fd)
        if index >= slots.count { slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 1)) }
        slots[index] = Slot(generation: generation, handler: handler)
        return registration
    }

    public func setInterest(_ registration: inout Registration, _ interest: IOEvents) throws(SocketError) {
        assertInEventLoop()
        guard registration.interest != interest else { return }
        try Syscall.epollControl(epfd, CEPOLL_CTL_MOD, registration.fd, events: interest.epollMask,
                                 data: registration.epollData)
        registration.interest = interest
    }

    /// EPOLL_CTL_DEL and forget the handler. Call before closing the descriptor.
    public func deregister(_ registration: Registration) {
        assertInEventLoop()
        // ENOENT/EBADF here would mean the fd was already closed; the slot is cleared either way.
        try? Syscall.epollControl(epfd, CEPOLL_CTL_DEL, registration.fd, events: 0, data: 0)
        let index = Int(registration.fd)
        if index < slots.count, slots[index]?.generation == registration.generation { slots[index] = nil }
    }

    // MARK: Timers (loop thread only)

    public func scheduleTimer(at deadline: MonotonicInstant, _ callback: @escaping () -> Void) -> TimerID {
        assertInEventLoop()
        return timers.schedule(at: deadline, callback)
    }

    public func cancelTimer(_ timer: TimerID) {
        assertInEventLoop()
        timers.cancel(timer)
    }

    // MARK: Run loop

    private func run() {
        loopThread.store(UInt(pthread_self()), ordering: .releasing)
        // Unretained: `run` holds `self` for as long as the thread can read the key, and clears it on the way out.
        pthread_setspecific(currentLoopKey, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(currentLoopKey, nil) }
        let capacity = 256
        let results = UnsafeMutablePointer<cepoll_result>.allocate(capacity: capacity)
        defer { results.deallocate() }
        while !stopRequested {
            let count: Int
            do {
                count = try Syscall.epollWait(epfd, into: results, max: Int32(capacity),
                                              timeoutMilliseconds: waitTimeout())
            } catch {
                // EBADF/EINVAL on our own epoll fd cannot be recovered from; leave the loop rather than spin.
                TransportLog.error("\(name): \(error)")
                break
            }
            for i in 0..<count {
                dispatch(events: results[i].events, data: results[i].data)
            }
            runExpiredTimers()
            runQueuedWork()
        }
        finish()
    }

    private func dispatch(events: UInt32, data: UInt64) {
        if data == Self.wakeupData {
            var counter: UInt64 = 0
            _ = Glibc.read(wakeFD, &counter, 8)
            return
        }
        let fd = Int(UInt32(truncatingIfNeeded: data))
        let generation = UInt32(truncatingIfNeeded: data >> 32)
        // A stale generation is an event for a descriptor closed earlier in this batch whose number was reused.
        guard fd < slots.count, let slot = slots[fd], slot.generation == generation else { return }
        slot.handler.handleEvents(IOEvents(epollEvents: events))
    }

    private func waitTimeout() -> Int32 {
        let hasWork = shared.withLock { !$0.queue.isEmpty }
        if hasWork || stopRequested { return 0 }
        guard let deadline = timers.nextDeadline() else { return -1 }
        let now = MonotonicInstant.now()
        if deadline <= now { return 0 }
        // Round up so the loop never wakes a hair early and spins on a timer that is not yet due.
        let millis = (deadline.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        return Int32(clamping: millis)
    }

    private func runExpiredTimers() {
        // The heap's first entry (live or cancelled) says whether anything can be due: nothing is, in most turns.
        guard let earliest = timers.earliestEntryDeadline else { return }
        let now = MonotonicInstant.now()
        guard earliest <= now else { return }
        for callback in timers.popExpired(now: now) { callback() }
    }

    private func runQueuedWork() {
        assertInEventLoop()
        // Most turns queue nothing: the lock is taken to look, and nothing is swapped or emptied.
        let hasWork = shared.withLock { state -> Bool in
            state.wakeupPending = false
            guard !state.queue.isEmpty else { return false }
            swap(&state.queue, &running)
            return true
        }
        guard hasWork else { return }
        for item in running {
            switch item {
            case .closure(let work): work()
            case .job(let job, let executor): job.runSynchronously(on: executor)
            }
        }
        running.removeAll(keepingCapacity: true)
    }

    private func finish() {
        // Run what was queued before the stop so bridged responses and closes are not silently lost.
        runQueuedWork()
        timers.removeAll()
        slots.removeAll()
        let waiters = shared.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = false
            state.exited = true
            Syscall.close(wakeFD)
            Syscall.close(epfd)
            let waiters = state.exitWaiters
            state.exitWaiters.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
