import Glibc
import JSONCore
import Synchronization
import GatewayConfiguration

/// The audit trail: one JSON line for every write that reached Kore.ai, appended before the response is sent and,
/// with `fsync`, on disk before it is sent, so a crash right after the answer loses nothing. `reopen` after SIGHUP
/// lets logrotate move the file away.
///
/// The disk is touched only by the audit writer thread: a request awaits its record (its task is suspended, the
/// event loop serves everything else), and records queued while an fsync runs are committed together by the next
/// write and fsync (group commit), so a slow disk costs each request one flush, not one per record ahead of it.
public final class AuditLog: Sendable {
    /// Makes what was written durable; `fsync(2)` in production, slowed or gated in tests.
    typealias Flush = @Sendable (_ fd: Int32) -> Bool

    /// One open audit file. Closed when the last holder lets go: after a reload the writer may still be committing
    /// a batch to the old file while new records already go to the new one.
    final class File: Sendable {
        let fd: Int32
        let fsync: Bool
        init(fd: Int32, fsync: Bool) {
            self.fd = fd
            self.fsync = fsync
        }
        deinit { close(fd) }
    }

    struct Entry: Sendable {
        var line: [UInt8]
        var file: File
        var committed: CheckedContinuation<Bool, Never>
    }

    /// Records waiting for the disk beyond this fail at once (counted like any failed write): a disk that stopped
    /// answering must not let memory grow without bound.
    static let maxPendingRecords = 10_000

    private struct Current {
        var file: File?
        var path: String?
    }
    private let current = Mutex(Current())
    private let queue: WriterQueue<Entry>

    public convenience init() {
        self.init(flush: { Glibc.fsync($0) == 0 })
    }

    init(flush: @escaping Flush) {
        queue = WriterQueue(name: "audit-writer") { batch in AuditLog.commit(batch, flush: flush) }
    }

    deinit {
        queue.stop()
    }

    /// Opens (or reopens) the file; `nil` disables auditing. The new file is opened before the old one is let go:
    /// when it cannot be opened, nothing changes and the error is returned (a reload is then refused).
    @discardableResult
    public func configure(_ audit: GatewayConfig.Audit?) -> String? {
        var file: File?
        if let audit {
            let fd = open(audit.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard fd >= 0 else { return "cannot open audit log \(audit.path): \(String(cString: strerror(errno)))" }
            file = File(fd: fd, fsync: audit.fsync)
        }
        current.withLock { $0 = Current(file: file, path: audit?.path) }
        return nil
    }

    public var isEnabled: Bool { current.withLock { $0.file != nil } }

    /// Whether an audit log is configured (open or not): without one, `append` takes nothing, so a caller need not
    /// build the record.
    public var isConfigured: Bool { current.withLock { $0.path != nil } }

    /// Appends one record and returns once it is written (and fsynced when configured), or has failed: false when
    /// it could not be written in full, the flush failed, or too many records are already waiting.
    /// Without an audit log configured it returns true at once.
    public func append(_ record: JSONValue) async -> Bool {
        let (file, configured) = current.withLock { ($0.file, $0.path != nil) }
        guard let file else { return !configured }  // configured but not open is a failure
        var line = JSONWriter.write(record)
        line.append(0x0A)
        return await withCheckedContinuation { committed in
            let queued = queue.offer(Entry(line: line, file: file, committed: committed), cost: 1) { count, _ in
                count < Self.maxPendingRecords
            }
            if !queued { committed.resume(returning: false) }
        }
    }

    /// Records queued behind the batch being committed now.
    var queuedRecords: Int { queue.queuedCount }

    /// On the writer thread: each run of records for the same file is one write(2) and one flush.
    private static func commit(_ batch: [Entry], flush: Flush) {
        var start = 0
        while start < batch.count {
            let file = batch[start].file
            var end = start
            var bytes: [UInt8] = []
            while end < batch.count && batch[end].file === file {
                bytes.append(contentsOf: batch[end].line)
                end += 1
            }
            let ok = writeAll(file.fd, bytes) && (!file.fsync || flush(file.fd))
            for entry in batch[start..<end] { entry.committed.resume(returning: ok) }
            start = end
        }
    }

    /// O_APPEND keeps each write whole against other writers of the file; a short write continues where it stopped.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
