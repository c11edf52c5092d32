import Dispatch
import Foundation
import Glibc
import Synchronization
import TestSupport

/// Monotonic nanoseconds (CLOCK_MONOTONIC), comparable across threads and with `RawExchange`'s timestamps.
func monotonicNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// One HTTP/1.1 request on its own loopback connection, as `RawHTTPLoad` saw it, with the moments that decide whether
/// a server had accepted it: when the connection was established and when the last request byte was written.
struct RawExchange: Sendable {
    enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// A complete response (status line, headers and `Content-Length` body).
        case response(status: Int)
        /// `connect` failed with ECONNREFUSED: nothing listens on the port.
        case refused
        /// `connect` failed otherwise (errno).
        case connectFailed(Int32)
        /// The connection ended before a complete response: 0 for an orderly EOF, else the errno (ECONNRESET, EPIPE).
        case noResponse(Int32)
        /// No complete response within the load's timeout.
        case timedOut

        var description: String {
            switch self {
            case .response(let status): return "HTTP \(status)"
            case .refused: return "connection refused"
            case .connectFailed(let e): return "connect errno \(e)"
            case .noResponse(let e): return e == 0 ? "EOF before a response" : "errno \(e) before a response"
            case .timedOut: return "timed out"
            }
        }
    }

    var outcome: Outcome
    var startedAt: UInt64
    var connectedAt: UInt64?
    /// When the whole request had been handed to the kernel.
    var sentAt: UInt64?
    var finishedAt: UInt64
    /// The response's bytes (head and body) as received.
    var received: [UInt8]

    var status: Int? { if case .response(let s) = outcome { return s } else { return nil } }
    var body: String {
        guard let end = RawHTTPLoad.headEnd(received) else { return "" }
        return String(decoding: received[end...], as: UTF8.self)
    }
}

/// A many-connection HTTP/1.1 client on raw non-blocking sockets driven by `poll(2)` on one dedicated thread, so
/// hundreds of requests can be in flight at once without a thread each and without touching Swift's cooperative
/// pool (the servers under test in this process need it). Each `exchange` opens its own connection, sends the request
/// (which should say `Connection: close`) and reads one response.
final class RawHTTPLoad: Sendable {
    private struct Pending: Sendable {
        var request: [UInt8]
        var startedAt: UInt64
        var continuation: CheckedContinuation<RawExchange, Never>
    }

    private struct Shared {
        var queue: [Pending] = []
        var stopping = false
    }

    let port: Int
    private let timeoutNanos: UInt64
    private let shared = Mutex(Shared())
    private let sent = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)

    init(port: Int, timeoutSeconds: Double = 30) {
        self.port = port
        timeoutNanos = UInt64(timeoutSeconds * 1e9)
        let thread = Thread { [self] in self.run() }
        thread.name = "raw-http-load"
        thread.start()
    }

    /// Requests whose bytes have all been written, and exchanges finished (any outcome), so far.
    var sentCount: Int { sent.load(ordering: .acquiring) }
    var completedCount: Int { completed.load(ordering: .acquiring) }

    /// Opens a connection, sends `request`, and returns how it went. Never throws; never blocks a thread.
    func exchange(_ request: [UInt8]) async -> RawExchange {
        let startedAt = monotonicNanos()
        return await withCheckedContinuation { continuation in
            let accepted = shared.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.queue.append(Pending(request: request, startedAt: startedAt, continuation: continuation))
                return true
            }
            if !accepted {
                continuation.resume(returning: RawExchange(outcome: .connectFailed(ECANCELED), startedAt: startedAt,
                                                           finishedAt: monotonicNanos(), received: []))
            }
        }
    }

    /// Lets the engine thread end once the exchanges already submitted have finished. Later `exchange` calls fail
    /// at once with `connectFailed(ECANCELED)`.
    func stop() {
        shared.withLock { $0.stopping = true }
    }

    /// A GET with `Connection: close`.
    static func get(_ path: String, headers: [String: String] = [:]) -> [UInt8] {
        request("GET", path, headers: headers, body: nil)
    }

    static func request(_ method: String, _ path: String, headers: [String: String], body: [UInt8]?) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    // MARK: The engine thread

    private final class Connection {
        enum Phase { case connecting, sending, receiving }
        let fd: Int32
        let pending: Pending
        var phase = Phase.connecting
        var offset = 0
        var received: [UInt8] = []
        var connectedAt: UInt64?
        var sentAt: UInt64?
        var done = false

        init(fd: Int32, pending: Pending) {
            self.fd = fd
            self.pending = pending
        }
    }

    private func run() {
        var active: [Connection] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let (incoming, stopping) = shared.withLock { state -> ([Pending], Bool) in
                defer { state.queue.removeAll() }
                return (state.queue, state.stopping)
            }
            for pending in incoming {
                if let connection = open(pending) { active.append(connection) }
            }
            if stopping && active.isEmpty && incoming.isEmpty { break }
            var fds = active.map { connection -> pollfd in
                let events = connection.phase == .receiving ? POLLIN : POLLOUT
                return pollfd(fd: connection.fd, events: Int16(events), revents: 0)
            }
            _ = poll(&fds, nfds_t(fds.count), 5)
            let now = monotonicNanos()
            for (index, connection) in active.enumerated() {
                let revents = Int32(fds[index].revents)
                if revents != 0 { advance(connection, revents: revents, buffer: &buffer) }
                if !connection.done && now - connection.pending.startedAt > timeoutNanos {
                    finish(connection, .timedOut)
                }
            }
            active.removeAll { $0.done }
        }
    }

    private func open(_ pending: Pending) -> Connection? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            resume(pending, RawExchange(outcome: .connectFailed(errno), startedAt: pending.startedAt, finishedAt: monotonicNanos(), received: []))
            return nil
        }
        let connection = Connection(fd: fd, pending: pending)
        if LoopbackSocket.connect(fd, port: port) == 0 {
            connected(connection)
        } else if errno != EINPROGRESS {
            finish(connection, errno == ECONNREFUSED ? .refused : .connectFailed(errno))
            return nil
        }
        return connection.done ? nil : connection
    }

    private func connected(_ connection: Connection) {
        connection.connectedAt = monotonicNanos()
        connection.phase = .sending
        send(connection)
    }

    private func advance(_ connection: Connection, revents: Int32, buffer: inout [UInt8]) {
        switch connection.phase {
        case .connecting:
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 {
                connected(connection)
            } else {
                finish(connection, error == ECONNREFUSED ? .refused : .connectFailed(error))
            }
        case .sending:
            send(connection)
        case .receiving:
            receive(connection, buffer: &buffer)
        }
    }

    private func send(_ connection: Connection) {
        let request = connection.pending.request
        while connection.offset < request.count {
            let n = request.withUnsafeBytes {
                Glibc.send(connection.fd, $0.baseAddress! + connection.offset, request.count - connection.offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                connection.offset += n
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                return
            } else {
                finish(connection, .noResponse(errno))
                return
            }
        }
        connection.sentAt = monotonicNanos()
        connection.phase = .receiving
        sent.add(1, ordering: .releasing)
    }

    private func receive(_ connection: Connection, buffer: inout [UInt8]) {
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                connection.received.append(contentsOf: buffer[0..<n])
                if let status = Self.completeStatus(connection.received) {
                    finish(connection, .response(status: status))
                    return
                }
            } else if n == 0 {
                finish(connection, .noResponse(0))
                return
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                return
            } else {
                finish(connection, .noResponse(errno))
                return
            }
        }
    }

    private func finish(_ connection: Connection, _ outcome: RawExchange.Outcome) {
        guard !connection.done else { return }
        connection.done = true
        close(connection.fd)
        resume(connection.pending, RawExchange(outcome: outcome, startedAt: connection.pending.startedAt,
                                               connectedAt: connection.connectedAt, sentAt: connection.sentAt,
                                               finishedAt: monotonicNanos(), received: connection.received))
    }

    private func resume(_ pending: Pending, _ exchange: RawExchange) {
        completed.add(1, ordering: .releasing)
        pending.continuation.resume(returning: exchange)
    }

    // MARK: Response framing

    /// The index just past the blank line that ends the head, if it has arrived.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    /// The status once head and `Content-Length` body are complete; nil while more is needed. A response without
    /// `Content-Length` is never complete here (the gateway always sends one), so it ends as `noResponse` at EOF.
    static func completeStatus(_ bytes: [UInt8]) -> Int? {
        guard let end = headEnd(bytes) else { return nil }
        let head = String(decoding: bytes[0..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
              let status = Int(statusLine.dropFirst(9).prefix(3)) else { return nil }
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { continue }
            guard let length = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
            return bytes.count - end >= length ? status : nil
        }
        return nil
    }
}
