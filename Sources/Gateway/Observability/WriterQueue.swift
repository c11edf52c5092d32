import Glibc
import Transport

/// A queue drained in batches by a thread of its own, so the slow part of writing (write(2) to a pipe nobody
/// reads, fsync(2) on a busy disk) happens there and never on an event loop. Producers never wait: `offer` takes the
/// lock for an append and returns, refusing the element when the caller's bound says the queue is full.
///
/// The thread starts with the first element offered, so a queue nobody uses (no audit log configured) costs none.
///
/// `@unchecked Sendable`: `items`, `pendingCost`, `writing`, `stopping`, `started` and `running` are read and written
/// only with `mutex` held (a pthread mutex, not `Mutex`, because the writer sleeps on a condition variable tied to it).
final class WriterQueue<Element: Sendable>: @unchecked Sendable {
    private let signals = WriterThreadSignals()
    private var mutex: UnsafeMutablePointer<pthread_mutex_t> { signals.mutex }
    private var wakeWriter: UnsafeMutablePointer<pthread_cond_t> { signals.wakeWriter }
    private var wakeFlushers: UnsafeMutablePointer<pthread_cond_t> { signals.wakeFlushers }
    private var items: [Element] = []
    private var pendingCost = 0
    private var writing = false
    private var stopping = false
    private var started = false
    /// False until the writer thread runs, and for good when it could not be started (`offer` then refuses all).
    private var running = false
    private let name: String
    private let drain: @Sendable ([Element]) -> Void

    /// `drain` gets every element queued since its last call, in order, on the writer thread.
    init(name: String, drain: @escaping @Sendable ([Element]) -> Void) {
        self.name = name
        self.drain = drain
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Queues `element` unless `fits(queuedElements, queuedCost)` says no. `cost` is what `fits` adds up (bytes,
    /// or 1 per element). Never blocks beyond the lock.
    func offer(_ element: Element, cost: Int, fits: (_ count: Int, _ cost: Int) -> Bool) -> Bool {
        locked {
            if !started { startWriter() }
            guard running, !stopping, fits(items.count, pendingCost) else { return false }
            items.append(element)
            pendingCost += cost
            pthread_cond_signal(wakeWriter)
            return true
        }
    }

    /// Elements waiting for the writer (not counting the batch it is writing).
    var queuedCount: Int { locked { items.count } }

    /// Waits until everything queued so far has been drained, or `seconds` passed (a writer stuck on a full pipe
    /// must not keep the process from exiting). Returns whether the queue is empty and idle. Not for event loops.
    @discardableResult
    func waitUntilDrained(seconds: Double) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanos = Int(deadline.tv_nsec) + Int((seconds - seconds.rounded(.down)) * 1e9)
        deadline.tv_sec += time_t(seconds.rounded(.down)) + time_t(nanos / 1_000_000_000)
        deadline.tv_nsec = nanos % 1_000_000_000
        return locked {
            while running && (writing || !items.isEmpty) {
                if pthread_cond_timedwait(wakeFlushers, mutex, &deadline) == ETIMEDOUT { break }
            }
            return !writing && items.isEmpty
        }
    }

    /// Lets the writer finish what is queued and end. Later offers are refused.
    func stop() {
        locked {
            stopping = true
            pthread_cond_signal(wakeWriter)
        }
    }

    /// With `mutex` held.
    private func startWriter() {
        started = true
        do {
            try LoopThread.spawn(name: name) { [self] in run(drain) }
            running = true
        } catch {
            TransportLog.error("cannot start the \(name) thread: \(error)")
        }
    }

    private func run(_ drain: @Sendable ([Element]) -> Void) {
        while true {
            let batch: [Element]? = locked {
                writing = false
                pthread_cond_broadcast(wakeFlushers)
                while items.isEmpty && !stopping { pthread_cond_wait(wakeWriter, mutex) }
                if items.isEmpty { return nil }
                let taken = items
                items = []
                pendingCost = 0
                writing = true
                return taken
            }
            guard let batch else { return }
            drain(batch)
        }
    }
}
