import Glibc

/// Ports for child processes: bind port 0, read the number, release it (a small race, acceptable in tests).
public enum FreePort {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String = "no free port") { self.description = description }
    }

    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure() }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure() }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure() }
        return Int(UInt16(bigEndian: address.sin_port))
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
