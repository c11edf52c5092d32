import Glibc
import JSONCore
import Synchronization

/// Where JSON log lines go: stdout in production (through the log writer thread), a closure in tests (so a test
/// can scan everything printed).
public final class LogSink: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warn, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warn", "error"][rawValue] }
    }

    private enum Output: Sendable {
        /// Called on the emitting thread, under a lock: for in-memory captures that never block.
        case direct(@Sendable ([UInt8]) -> Void)
        /// Queued for the writer thread, which writes each batch with one write(2).
        case queued(WriterQueue<[UInt8]>, capacityBytes: Int)
    }

    private let output: Output
    private let directLock = Mutex<Void>(())
    private let dropped = Atomic<Int>(0)
    public let minimumLevel: Level

    /// Lines handed to `write` as they are emitted, whole and one at a time. `write` must not block: it runs on
    /// whichever thread logs, event loops included.
    public init(minimumLevel: Level = .info, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.minimumLevel = minimumLevel
        output = .direct(write)
    }

    /// Lines to `fd` from a writer thread of its own. At most `capacityBytes` wait for it: when the reader of `fd`
    /// cannot keep up, further lines are dropped and counted (`droppedLines`) and the emitting thread never waits.
    public init(minimumLevel: Level = .info, fileDescriptor fd: Int32, capacityBytes: Int = 1 << 20) {
        self.minimumLevel = minimumLevel
        let queue = WriterQueue<[UInt8]>(name: "log-writer") { lines in LogSink.writeBatch(lines, to: fd) }
        output = .queued(queue, capacityBytes: capacityBytes)
    }

    deinit {
        if case .queued(let queue, _) = output { queue.stop() }
    }

    /// Lines to standard output; a line never interleaves with another.
    public static func standardOutput(minimumLevel: Level = .info) -> LogSink {
        LogSink(minimumLevel: minimumLevel, fileDescriptor: 1)
    }

    public static let discard = LogSink(minimumLevel: .error) { _ in }

    /// Lines dropped because the writer was too far behind (`campaign_gateway_log_lines_dropped_total`).
    public var droppedLines: Int { dropped.load(ordering: .relaxed) }

    public func emit(_ value: JSONValue) {
        var line = JSONWriter.write(value)
        line.append(0x0A)
        emit(line: line)
    }

    /// One whole line, newline included.
    func emit(line: [UInt8]) {
        switch output {
        case .direct(let write):
            directLock.withLock { _ in write(line) }
        case .queued(let queue, let capacity):
            let cost = line.count
            let queued = queue.offer(line, cost: cost) { _, queuedBytes in queuedBytes + cost <= capacity }
            if !queued { dropped.add(1, ordering: .relaxed) }
        }
    }

    /// Waits (up to `seconds`) until the queued lines are written: before the process exits. Not for event loops.
    public func flush(seconds: Double = 2) {
        if case .queued(let queue, _) = output { queue.waitUntilDrained(seconds: seconds) }
    }

    /// An event line: start-up, reload, shutdown, upstream credential refusals.
    public func event(_ level: Level, _ event: String, _ message: String, _ fields: [(String, JSONValue)] = []) {
        guard level >= minimumLevel else { return }
        var o: JSONObject = ["time": .string(WallClockTime.now().iso8601), "level": .string(level.name), "event": .string(event), "message": .string(message)]
        for (k, v) in fields { o[k] = v }
        emit(.object(o))
    }

    public func request(_ record: RequestLogRecord) {
        guard minimumLevel <= .info else { return }
        emit(line: record.line())
    }

    /// On the writer thread: the batch in one write(2) where it fits, continuing after short writes. A reader that
    /// went away (EPIPE, SIGPIPE is ignored) or another error drops the rest of the batch.
    private static func writeBatch(_ lines: [[UInt8]], to fd: Int32) {
        // A writer that keeps up gets one line per batch: written as it is, not copied into a batch buffer first.
        if lines.count == 1, let line = lines.first {
            write(line, to: fd)
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count })
        for line in lines { bytes.append(contentsOf: line) }
        write(bytes, to: fd)
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
