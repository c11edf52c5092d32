import Foundation
import JSONCore
import Synchronization
import GatewayConfiguration

/// The audit trail: one JSON line for every write that reached Kore.ai, appended before the
/// response is sent and, with `fsync`, on disk before it is sent, so a crash right after the answer loses nothing.
/// `reopen` after SIGHUP lets logrotate move the file away.
public final class AuditLog: Sendable {
    private struct State {
        var fd: Int32 = -1
        var path: String?
        var fsync = true
    }
    private let state = Mutex(State())

    public init() {}

    deinit {
        state.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    /// Opens (or reopens) the file; `nil` disables auditing. The new file is opened before the old one is closed:
    /// when it cannot be opened, nothing changes and the error is returned (a reload is then refused).
    @discardableResult
    public func configure(_ audit: GatewayConfig.Audit?) -> String? {
        var fd: Int32 = -1
        if let path = audit?.path {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard fd >= 0 else { return "cannot open audit log \(path): \(String(cString: strerror(errno)))" }
        }
        state.withLock { state in
            if state.fd >= 0 { close(state.fd) }
            state.fd = fd
            state.path = audit?.path
            state.fsync = audit?.fsync ?? true
        }
        return nil
    }

    public var isEnabled: Bool { state.withLock { $0.fd >= 0 } }

    /// Appends one record with a single write(2) (O_APPEND keeps lines whole across threads and processes).
    /// Returns false when the record could not be written in full.
    public func append(_ record: JSONValue) -> Bool {
        var line = JSONWriter.write(record)
        line.append(0x0A)
        return state.withLock { state in
            guard state.fd >= 0 else { return state.path == nil }  // configured but not open is a failure
            var offset = 0
            while offset < line.count {
                let n = line.withUnsafeBytes { write(state.fd, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            // Blocks the calling loop for the disk flush: acceptable for writes to Kore.ai, which are paced at
            // tens per minute per account, and the price of "none lost on a crash after the response".
            return !state.fsync || Glibc.fsync(state.fd) == 0
        }
    }
}
