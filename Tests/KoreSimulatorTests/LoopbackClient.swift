import Dispatch
import Glibc
import TestSupport

/// A minimal HTTP/1.1 client over a raw loopback socket, so tests see exactly what went over the wire (including a
/// connection closed without an answer, which URLSession would turn into a retry or an opaque error).
///
/// The blocking socket calls run on a Dispatch queue, never on Swift's cooperative pool: on a 2-core machine a blocked
/// pool thread could starve the very handler task the test is waiting for.
enum LoopbackClient {
    /// What came back: the raw bytes until the server closed, split into status, headers and body when there were any.
    struct Reply: Sendable {
        var raw: [UInt8]
        var status: Int? {
            guard let line = text.split(separator: "\r\n", maxSplits: 1).first else { return nil }
            let parts = line.split(separator: " ")
            return parts.count >= 2 ? Int(parts[1]) : nil
        }
        var text: String { String(decoding: raw, as: UTF8.self) }
        var body: [UInt8] {
            let marker: [UInt8] = [13, 10, 13, 10]
            guard raw.count >= 4, let start = (0...(raw.count - 4)).first(where: { Array(raw[$0..<$0 + 4]) == marker }) else { return [] }
            return Array(raw[(start + 4)...])
        }
        func header(_ name: String) -> String? {
            for line in text.split(separator: "\r\n").dropFirst() {
                if line.isEmpty { break }
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2, pair[0].lowercased() == name.lowercased() {
                    return String(pair[1].drop { $0 == " " })
                }
            }
            return nil
        }
    }

    enum Failure: Error { case socket(String) }

    /// Sends one request with `Connection: close` and reads until the server closes (at most `timeoutSeconds`).
    static func send(port: Int, method: String, target: String, headers: [(String, String)] = [],
                     body: [UInt8] = [], timeoutSeconds: Int = 5) async throws -> Reply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "PUT" || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + body
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try exchange(port: port, request: request, timeoutSeconds: timeoutSeconds) })
            }
        }
    }

    private static func exchange(port: Int, request: [UInt8], timeoutSeconds: Int) throws -> Reply {
        let fd: Int32
        do {
            fd = try LoopbackSocket.connect(port: port, receiveTimeoutSeconds: timeoutSeconds)
        } catch {
            throw Failure.socket("\(error)")
        }
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.socket("send errno \(errno)") }
            sent += n
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { reply += buffer[0..<n]; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            if errno == ECONNRESET { break }
            throw Failure.socket("recv errno \(errno)")
        }
        return Reply(raw: reply)
    }
}
