import Foundation
import JSONCore
import Synchronization

/// Where JSON log lines go: stdout in production, a buffer in tests (so a test can scan everything printed).
public final class LogSink: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warn, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warn", "error"][rawValue] }
    }

    private let write: @Sendable ([UInt8]) -> Void
    private let lock = Mutex<Void>(())
    public let minimumLevel: Level

    public init(minimumLevel: Level = .info, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.minimumLevel = minimumLevel
        self.write = write
    }

    /// Lines to standard output, one `write(2)` each so lines from several threads never interleave.
    public static func standardOutput(minimumLevel: Level = .info) -> LogSink {
        LogSink(minimumLevel: minimumLevel) { bytes in
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(1, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                    if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                    offset += n
                }
            }
        }
    }

    public static let discard = LogSink(minimumLevel: .error) { _ in }

    public func emit(_ value: JSONValue) {
        var line = JSONWriter.write(value)
        line.append(0x0A)
        lock.withLock { _ in write(line) }
    }

    /// An event line: start-up, reload, shutdown, upstream credential refusals.
    public func event(_ level: Level, _ event: String, _ message: String, _ fields: [(String, JSONValue)] = []) {
        guard level >= minimumLevel else { return }
        var o: JSONObject = ["time": .string(LogTime.iso8601(Date())), "level": .string(level.name), "event": .string(event), "message": .string(message)]
        for (k, v) in fields { o[k] = v }
        emit(.object(o))
    }

    public func request(_ record: RequestLogRecord) {
        guard minimumLevel <= .info else { return }
        emit(record.json())
    }
}
