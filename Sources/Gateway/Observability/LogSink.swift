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
        /// Written into the bytes waiting for the writer thread, which writes each batch with one write(2).
        case queued(LogLineBuffer)
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
        output = .queued(LogLineBuffer(fileDescriptor: fd, capacityBytes: capacityBytes))
    }

    deinit {
        if case .queued(let buffer) = output { buffer.stop() }
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
        case .queued(let buffer):
            let queued = buffer.append(FinishedLogLine(bytes: line), time: WallClockTime.now())
            if !queued { dropped.add(1, ordering: .relaxed) }
        }
    }

    /// Waits (up to `seconds`) until the queued lines are written: before the process exits. Not for event loops.
    public func flush(seconds: Double = 2) {
        if case .queued(let buffer) = output { buffer.waitUntilDrained(seconds: seconds) }
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
        switch output {
        case .direct:
            emit(line: record.line())
        case .queued(let buffer):
            // Written straight into the bytes waiting for the writer: no array for the line.
            let queued = buffer.append(record, time: WallClockTime.now())
            if !queued { dropped.add(1, ordering: .relaxed) }
        }
    }
}
