import Foundation
import Glibc
import Synchronization

/// Ports for child processes, which bind them after this returns.
///
/// Port 0's answer comes from the kernel's ephemeral range, the same range every outgoing connection takes its source
/// port from: with thousands of connections open across the suites, another test's connection could take the port
/// between `find` and the child's bind (tinyproxy then never listened). So the port is drawn from below the ephemeral
/// range, which connections never use, checked free by binding it, and never handed out twice in this process.
public enum FreePort {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String = "no free port") { self.description = description }
    }

    private static let handedOut = Mutex<Set<Int>>([])

    public static func find() throws -> Int {
        let (low, high) = candidates()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let port = Int.random(in: low...high, using: &generator)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh, isFree(port) { return port }
        }
        throw Failure(description: "no free port in \(low)...\(high) after 200 tries")
    }

    /// Below the first ephemeral port (net.ipv4.ip_local_port_range), above the well-known and common service ports.
    static func candidates() -> (Int, Int) {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let firstEphemeral = range.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32768
        return firstEphemeral > 21_000 ? (20_000, firstEphemeral - 1) : (1_024, 65_535)
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Polls `GET /readyz` until it answers 200, or throws after `seconds`.
    /// The polling runs on a thread of its own, so the deadline is the child's start-up time, not the pool's.
    public static func waitUntilReady(port: Int, seconds: Double = 20) async throws {
        let ready = try await OffPool.run { () -> Bool in
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            while ContinuousClock.now < deadline {
                if let client = try? RawHTTPClient(port: port, receiveTimeoutSeconds: 2),
                   (try? client.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")) != nil,
                   let response = try? client.readResponse(), response.status == 200 {
                    return true
                }
                usleep(50_000)
            }
            return false
        }
        if !ready { throw Failure(description: "nothing answered GET /readyz with 200 on port \(port) within \(seconds) s") }
    }
}
