import Glibc
import Transport

/// The log lines waiting for the log writer thread, as bytes in one buffer: a line is written straight into it
/// (no array per line, no list of them), and the writer thread swaps it with a second buffer and writes that with
/// one write(2), so in a steady rhythm nothing is allocated on either side. At most `capacityBytes` wait: a line
/// that would go past that is dropped and the emitting thread never waits beyond the lock.
///
/// `@unchecked Sendable`: every stored property but the constants is read and written only with `mutex` held (a
/// pthread mutex, because the writer sleeps on a condition variable tied to it), except the writer's own buffer,
/// which only the writer thread touches once it took it.
final class LogLineBuffer: @unchecked Sendable {
    private let signals = WriterThreadSignals()
    private var mutex: UnsafeMutablePointer<pthread_mutex_t> { signals.mutex }
    private var wakeWriter: UnsafeMutablePointer<pthread_cond_t> { signals.wakeWriter }
    private var wakeFlushers: UnsafeMutablePointer<pthread_cond_t> { signals.wakeFlushers }
    private let fd: Int32
    private let capacityBytes: Int
    /// The lines queued so far (`pendingCount` bytes of `pendingCapacity`).
    private var pending: UnsafeMutablePointer<UInt8>?
    private var pendingCapacity = 0
    private var pendingCount = 0
    /// The writer's buffer, swapped with `pending` when it takes a batch.
    private var spare: UnsafeMutablePointer<UInt8>?
    private var spareCapacity = 0
    private var writing = false
    private var stopping = false
    private var started = false
    private var running = false

    /// The buffer a writer keeps between batches; a burst's larger one is given back after it is written.
    static let keptCapacity = 64 * 1024
    /// How long the writer, woken by a line, lets others join it before it takes the batch. Without it, a steady
    /// rhythm of requests woke the writer for nearly every line: a futex wake on the request's thread, a context
    /// switch and a write(2) per request (strace -c at 32 connections: 0.8 writes and 1.3 futex calls a request).
    /// Lines are not late enough to matter to anyone reading them; a burst past half the kept buffer goes at once.
    static let batchWindow = timespec(tv_sec: 0, tv_nsec: 2_000_000)

    init(fileDescriptor fd: Int32, capacityBytes: Int) {
        self.fd = fd
        self.capacityBytes = max(0, capacityBytes)
    }

    deinit {
        pending?.deallocate()
        spare?.deallocate()
    }

    /// Queues `line`, written straight into the buffer. Returns false when it was dropped: the writer is too far
    /// behind, stopped, or could not be started. (Generic rather than a closure: a closure around a request's record
    /// copied the record, a retain for each of its strings.)
    func append<Line: LogLineWriting>(_ line: Line, time: WallClockTime) -> Bool {
        let maxCount = line.lineCapacity
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !started { startWriter() }
        guard running, !stopping, maxCount >= 0, pendingCount < capacityBytes else { return false }
        if pendingCapacity - pendingCount < maxCount {
            // Doubling, so a burst grows the buffer a few times; bounded by what may wait plus one line.
            let needed = pendingCount + maxCount
            let grown = max(needed, min(2 * pendingCapacity, capacityBytes + maxCount), 4096)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            if let pending {
                bigger.update(from: pending, count: pendingCount)
                pending.deallocate()
            }
            pending = bigger
            pendingCapacity = grown
        }
        guard let pending else { return false }
        let written = line.writeLine(into: UnsafeMutableBufferPointer(start: pending + pendingCount, count: maxCount), time: time)
        // The same bound as before the line was written: a line that does not fit whole is not kept.
        guard written >= 0, written <= maxCount, written <= capacityBytes - pendingCount else { return false }
        pendingCount += written
        pthread_cond_signal(wakeWriter)
        return true
    }

    /// Waits (up to `seconds`) until everything queued so far is written. Not for event loops.
    func waitUntilDrained(seconds: Double) {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanos = Int(deadline.tv_nsec) + Int((seconds - seconds.rounded(.down)) * 1e9)
        deadline.tv_sec += time_t(seconds.rounded(.down)) + time_t(nanos / 1_000_000_000)
        deadline.tv_nsec = nanos % 1_000_000_000
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while running && (writing || pendingCount > 0) {
            if pthread_cond_timedwait(wakeFlushers, mutex, &deadline) == ETIMEDOUT { break }
        }
    }

    /// Lets the writer finish what is queued and end. Later lines are dropped.
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_signal(wakeWriter)
        pthread_mutex_unlock(mutex)
    }

    /// With `mutex` held.
    private func startWriter() {
        started = true
        do {
            try LoopThread.spawn(name: "log-writer") { [self] in run() }
            running = true
        } catch {
            TransportLog.error("cannot start the log-writer thread: \(error)")
        }
    }

    private func run() {
        var batchCount = 0
        while true {
            pthread_mutex_lock(mutex)
            writing = false
            // The batch written last is the writer's buffer again; a burst's large one is given back.
            if spareCapacity > Self.keptCapacity {
                spare?.deallocate()
                spare = nil
                spareCapacity = 0
            }
            pthread_cond_broadcast(wakeFlushers)
            while pendingCount == 0 && !stopping { pthread_cond_wait(wakeWriter, mutex) }
            if pendingCount == 0 {
                pthread_mutex_unlock(mutex)
                return
            }
            if !stopping && pendingCount < Self.keptCapacity / 2 {
                // Producers append meanwhile; with no waiter their signal is not a system call.
                pthread_mutex_unlock(mutex)
                var window = Self.batchWindow, left = timespec()
                while nanosleep(&window, &left) != 0 && errno == EINTR { window = left }
                pthread_mutex_lock(mutex)
            }
            swap(&pending, &spare)
            swap(&pendingCapacity, &spareCapacity)
            batchCount = pendingCount
            pendingCount = 0
            writing = true
            let batch = spare
            pthread_mutex_unlock(mutex)
            // `spare` is the writer's until it takes the lock again: producers only touch `pending`.
            if let batch { Self.write(UnsafeRawBufferPointer(start: batch, count: batchCount), to: fd) }
        }
    }

    /// The batch, continuing after short writes. A reader that went away (EPIPE, SIGPIPE is ignored) or another
    /// error drops the rest of it.
    static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

/// A line the log buffer can write in place: at most `lineCapacity` bytes, newline included.
protocol LogLineWriting {
    var lineCapacity: Int { get }
    /// Writes the line into `out` (room for `lineCapacity` bytes) and returns how many bytes it wrote.
    func writeLine(into out: UnsafeMutableBufferPointer<UInt8>, time: WallClockTime) -> Int
}

extension RequestLogRecord: LogLineWriting {}

/// A line already made (an event line): copied as it is.
struct FinishedLogLine: LogLineWriting {
    let bytes: [UInt8]

    var lineCapacity: Int { bytes.count }

    func writeLine(into out: UnsafeMutableBufferPointer<UInt8>, time: WallClockTime) -> Int {
        bytes.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress, let to = out.baseAddress, source.count <= out.count else { return 0 }
            to.update(from: from, count: source.count)
            return source.count
        }
    }
}
