import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc

/// Ports for child processes: bind port 0, read the number, release it (a small race, acceptable in tests).
enum FreePort {
    struct Failure: Error {}

    static func find() throws -> Int {
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

    /// Polls `/readyz` until it answers 200 (or fails after `seconds`).
    static func waitUntilReady(port: Int, seconds: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        guard let url = URL(string: "http://127.0.0.1:\(port)/readyz") else { throw Failure() }
        while Date() < deadline {
            if let (_, response) = try? await GatewayHarness.session.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw Failure()
    }
}
