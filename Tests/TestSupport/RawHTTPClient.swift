import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback client that speaks raw bytes, so tests can send exactly what a hostile or sloppy client would.
/// Every call may block: use it off Swift's cooperative pool, or accept that it holds one of its threads.
public final class RawHTTPClient: @unchecked Sendable {  // used by one test thread at a time
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
        /// The body as text (the same as `bodyText`).
        public var text: String { bodyText }
        /// The body as a JSON object, or nil.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let fd: Int32
    private var buffer: [UInt8] = []

    public init(port: Int, host: String = "127.0.0.1", receiveTimeoutSeconds: Int = 5) throws {
        do {
            fd = try LoopbackSocket.connect(port: port, host: host, receiveTimeoutSeconds: receiveTimeoutSeconds)
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    deinit { close(fd) }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send errno \(errno)") }
            offset += n
        }
    }

    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Whether something (bytes or EOF) can be read within `milliseconds`.
    public func readable(milliseconds: Int32) -> Bool {
        if milliseconds > 0 { PoolGuard.check("RawHTTPClient.readable") }
        if !buffer.isEmpty { return true }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }

    /// Reads more bytes; false on EOF. Throws on timeout or reset.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return false }
        guard n > 0 else { throw Failure(description: "recv errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Reads one response (Content-Length framed, or until EOF without it). `HEAD` responses have no body.
    public func readResponse(head: Bool = false) throws -> Response {
        PoolGuard.check("RawHTTPClient.readResponse")
        var end: Int?
        while end == nil {
            end = findHeadEnd()
            if end == nil, try !fill() { throw Failure(description: "EOF before response head (\(buffer.count) bytes)") }
        }
        guard let headEnd = end else { throw Failure(description: "unreachable") }
        let headText = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw Failure(description: "bad status line \(statusLine)")
        }
        let headers = lines.map { line -> (String, String) in
            let pieces = line.split(separator: ":", maxSplits: 1)
            return (String(pieces[0]), pieces.count > 1 ? String(pieces[1].drop { $0 == " " }) : "")
        }
        var response = Response(status: status, headers: headers, body: [])
        if head || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            while buffer.count < length {
                if try !fill() { throw Failure(description: "EOF in body") }
            }
            response.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// The async forms of `readResponse` and `readsEOF`: the blocking read runs on a thread of its own (`OffPool`).
    public func readResponse(head: Bool = false) async throws -> Response {
        try await OffPool.run { try self.readResponse(head: head) }
    }

    public func readsEOF() async throws -> Bool {
        try await OffPool.run { try self.readsEOF() }
    }

    /// True when the server closed the connection (EOF) with nothing more to read.
    public func readsEOF() throws -> Bool {
        PoolGuard.check("RawHTTPClient.readsEOF")
        if !buffer.isEmpty { return false }
        return try !fill()
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}
