import Foundation
import Synchronization

/// A server on a loopback port that speaks whatever a test scripts: each accepted connection is handed to
/// `handler` on a thread of its own, with blocking reads and writes. For replies no real Redis sends (garbage,
/// truncated, oversized, a close) and for proving what the client sent.
public final class FakeRedisServer: Sendable {
    public let port: Int
    private let listener: Int32
    private let accepted = Counter()

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// `accepting` false: the socket listens but never accepts. Connects still succeed (the kernel completes them
    /// into the backlog) and writes are buffered, but nothing is ever read or answered: a stalled server.
    public init(accepting: Bool = true, handler: @escaping @Sendable (FakeConnection) -> Void = { _ in }) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(description: "bind/listen errno \(errno)")
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        guard accepting else { return }
        let counter = accepted
        Thread.detachNewThread { [listener] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    if errno == EINTR { continue }
                    return
                }
                counter.value.add(1, ordering: .relaxed)
                Thread.detachNewThread { handler(FakeConnection(fd: connection)) }
            }
        }
    }

    /// Connections accepted so far.
    public var connections: Int { accepted.value.load(ordering: .relaxed) }

    deinit {
        // shutdown wakes the accept loop (EINVAL), then the descriptor goes.
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// One accepted connection, blocking. Reads wait at most 10 s, so a test whose client never sends cannot hang.
public struct FakeConnection: Sendable {
    public let fd: Int32

    public init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until `done` holds for everything read so far (or the peer closes or 10 s pass); returns it all.
    public func read(until done: ([UInt8]) -> Bool) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !done(received) {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                received += buffer[0..<n]
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return received
    }

    /// Reads until `count` whole commands have arrived (counted by their `*` headers at command starts).
    public func readCommands(_ count: Int) -> [UInt8] {
        read { FakeConnection.commandCount($0) >= count }
    }

    public func write(_ text: String) { write(Array(text.utf8)) }

    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }

    public func close() { Glibc.close(fd) }

    /// Whole RESP commands (arrays of bulk strings) at the start of `bytes`.
    public static func commandCount(_ bytes: [UInt8]) -> Int {
        var index = 0
        var count = 0
        func number() -> Int? {
            var value = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                digits += 1
            }
            guard digits > 0, index + 1 < bytes.count, bytes[index] == 13, bytes[index + 1] == 10 else { return nil }
            index += 2
            return value
        }
        while index < bytes.count, bytes[index] == UInt8(ascii: "*") {
            index += 1
            guard let arguments = number() else { return count }
            for _ in 0..<arguments {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "$") else { return count }
                index += 1
                guard let length = number(), index + length + 2 <= bytes.count else { return count }
                index += length + 2
            }
            count += 1
        }
        return count
    }
}
