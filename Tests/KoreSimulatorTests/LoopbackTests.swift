import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayCrypto
import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// The simulator behind the project's real HTTP server on 127.0.0.1, as `kore-sim` and the demo run it.
/// Serialized: each test owns a server, and the machine has two cores.
@Suite(.serialized) struct LoopbackTests {
    /// Runs `body` with a started server on an ephemeral port, then shuts it down.
    private func withServer(_ simulator: KoreSimulator, _ body: (Int) async throws -> Void) async throws {
        let server = simulator.makeServer(host: "127.0.0.1", port: 0)
        let port = try server.start()
        do {
            try await body(port)
        } catch {
            await server.shutdown(graceSeconds: 1)
            throw error
        }
        await server.shutdown(graceSeconds: 1)
    }

    /// Kore.ai's headers for the test tenant (the clock is real here, so tokens are minted against real time).
    private func koreHeaders(now: Int) -> [(String, String)] {
        [("auth", Fixture.token(iat: now, exp: now + 300)), ("iid", Fixture.tenant.streamId),
         ("accountId", Fixture.tenant.accountId), ("Content-Type", "application/json")]
    }

    private var now: Int { Int(time(nil)) }

    @Test func deleteOverASocketInV2Shape() async throws {
        let simulator = KoreSimulator(tenants: [Fixture.tenant])
        try await withServer(simulator) { port in
            let id = Fixture.smsSeeds[1]
            let target = "/campaign/api/v2/public/\(Fixture.tenant.streamId)/campaign/\(id)?accountId=\(Fixture.tenant.accountId)&campaignType=sms"
            let reply = try await LoopbackClient.send(port: port, method: "DELETE", target: target, headers: koreHeaders(now: now))
            #expect(reply.status == 200)
            let body = try JSONReader.parse(reply.body)
            #expect(body["message"] == .string("Campaign Billing Alert Template Campaign-21212 deleted successfully"))
            #expect(body["data"]?["_id"] == .string(id))
            let again = try await LoopbackClient.send(port: port, method: "DELETE", target: target, headers: koreHeaders(now: now))
            #expect(again.status == 404)
        }
    }

    @Test func putOverURLSessionInV1Shape() async throws {
        let simulator = KoreSimulator(tenants: [Fixture.tenant])
        try await withServer(simulator) { port in
            let id = "cd-dcebc67-d981-4469-b220-5a4ea567xxxx"
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/agentassist/api/v1/public/\(Fixture.tenant.streamId)/campaign/\(id)?campaignType=voice"))
            var request = URLRequest(url: url)
            request.httpMethod = "PUT"
            for (name, value) in koreHeaders(now: now) { request.setValue(value, forHTTPHeaderField: name) }
            request.httpBody = Data(JSONWriter.write(.object(Fixture.voiceUpdateBody(name: "Over The Wire"))))
            let (data, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            let body = try JSONReader.parse(Array(data))
            #expect(body["id"] == .string(id))
            #expect(body["data"]?["id"] == .string(id))
            #expect(body["data"]?["lname"] == .string("over the wire"))
            #expect(simulator.calls.first?.header("iid") == Fixture.tenant.streamId)
        }
    }

    @Test func droppedConnectionClosesWithoutAnAnswer() async throws {
        let simulator = KoreSimulator(tenants: [Fixture.tenant])
        simulator.inject(.dropConnection)
        try await withServer(simulator) { port in
            let target = "/agentassist/api/v1/public/\(Fixture.tenant.streamId)/campaign/\(Fixture.voiceSeeds[0])"
            let dropped = try await LoopbackClient.send(port: port, method: "GET", target: target, headers: koreHeaders(now: now))
            // HTTPResponse.abortConnection's contract: the server writes nothing and closes.
            #expect(dropped.raw.isEmpty, "server answered a dropConnection response: \(dropped.text)")
            let normal = try await LoopbackClient.send(port: port, method: "GET", target: target, headers: koreHeaders(now: now))
            #expect(normal.status == 200)
            #expect(simulator.calls.map(\.responseStatus) == [0, 200])
        }
    }

    @Test func controlAPIOverASocket() async throws {
        let simulator = KoreSimulator(tenants: [Fixture.tenant])
        try await withServer(simulator) { port in
            let health = try await LoopbackClient.send(port: port, method: "GET", target: "/__sim/health")
            #expect(health.status == 200)
            let fault = Array(#"{"fault":"rateLimited","retryAfterSeconds":7}"#.utf8)
            let posted = try await LoopbackClient.send(port: port, method: "POST", target: "/__sim/faults",
                                                       headers: [("Content-Type", "application/json")], body: fault)
            #expect(posted.status == 200)
            let target = "/agentassist/api/v1/public/\(Fixture.tenant.streamId)/campaign/\(Fixture.voiceSeeds[0])"
            let limited = try await LoopbackClient.send(port: port, method: "GET", target: target, headers: koreHeaders(now: now))
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "7")
            let calls = try await LoopbackClient.send(port: port, method: "GET", target: "/__sim/calls")
            #expect(calls.status == 200)
            #expect(calls.text.contains("[redacted]"))
            #expect(!calls.text.contains("eyJ"))
            // Each call's arrival on the limit's clock, so the calls of any window can be counted from outside.
            let log = try JSONReader.parse(calls.body).arrayValue ?? []
            let times = log.compactMap { $0["receivedAt"]?.doubleValue }
            #expect(times.count == log.count && !times.isEmpty && times.allSatisfy { $0 > 0 }, "\(calls.text)")
        }
    }
}
