import Foundation
import HTTPClient
import TestSupport
import Testing

/// When a request is sent again: never once any of a DELETE's, PUT's or POST's bytes were written; on a fresh
/// connection when a pooled one turned out closed before writing.
@Suite(.serialized, .needs("python3"), .timeLimit(.minutes(2)))
struct RetrySemanticsTests {
    static func send(_ client: HTTPClient, _ method: String, port: Int, body: [UInt8]? = nil) async -> Result<HTTPClientResponse, HTTPClientError> {
        let target = HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: port, pathAndQuery: "/campaign/1")
        return await client.execute(HTTPClientRequest(method: method, target: target, body: body), timeoutSeconds: 3)
    }

    @Test(arguments: ["DELETE", "PUT", "POST"])
    func writeToAnUpstreamThatClosesAfterReadingReachesItExactlyOnce(_ method: String) async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["close-after-read"])
        let result = await Self.send(HTTPClient(), method, port: server.port, body: method == "DELETE" ? nil : Array("{}".utf8))
        guard case .failure(.connectionLost) = result else { Issue.record("got \(result)"); return }
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(server.count("req \(method) ") == 1, "exactly one attempt reached the upstream: \(server.log)")
    }

    @Test func deleteOnAPooledConnectionThatDiesUnderItIsNotResent() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok-then-drop-next"])
        let client = HTTPClient()
        #expect(try await Self.send(client, "GET", port: server.port).get().status == 200)
        let result = await Self.send(client, "DELETE", port: server.port)
        guard case .failure(.connectionLost) = result else { Issue.record("got \(result)"); return }
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(server.count("req DELETE ") == 1, "\(server.log)")
    }

    @Test func getOnAPooledConnectionThatDiesUnderItIsResentOnAFreshOne() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok-then-drop-next"])
        let client = HTTPClient()
        #expect(try await Self.send(client, "GET", port: server.port).get().status == 200)
        #expect(try await Self.send(client, "GET", port: server.port).get().status == 200)
        #expect(server.count("conn") == 2)
    }

    @Test func pooledConnectionClosedWhileIdleIsReplacedBeforeAnythingIsWritten() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok-then-close-idle"])
        let client = HTTPClient()
        #expect(try await Self.send(client, "DELETE", port: server.port).get().status == 200)
        // The upstream closes the idle connection after 0.2 s; the next DELETE must not be lost to it.
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(try await Self.send(client, "DELETE", port: server.port).get().status == 200)
        #expect(server.count("req DELETE ") == 2)
        #expect(server.count("conn") == 2)
    }

    @Test func concurrentRequestsBeyondThePoolCapWaitAndAllSucceed() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        var configuration = HTTPClient.Configuration()
        configuration.maxConnectionsPerHost = 2
        let client = HTTPClient(configuration: configuration)
        let port = server.port
        let statuses = await withTaskGroup(of: Int.self) { group -> [Int] in
            for _ in 0..<20 {
                group.addTask { (try? await Self.send(client, "GET", port: port).get().status) ?? 0 }
            }
            var all: [Int] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses == Array(repeating: 200, count: 20))
        #expect(server.count("conn") <= 2, "the cap holds: \(server.count("conn")) connections")
    }
}
