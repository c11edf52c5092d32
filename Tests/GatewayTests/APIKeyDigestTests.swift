import Foundation
@testable import Gateway
import GatewayConfiguration
import GatewayCrypto
import HTTPServer
import KoreSimulator
import TestSupport
import Testing

/// The API key's digest kept per connection (`APIKeyDigest`): it serves exactly the key it was made from, and it is
/// only a digest, so a reload that removes a key refuses that key on the next request of the same connection.
@Suite struct APIKeyDigestTests {
    static let all = GatewayHarness.apiKeys["all"] ?? ""
    /// The same length as `all`, one byte different at the end.
    static let almost = String(all.dropLast()) + (all.hasSuffix("1") ? "2" : "1")

    static func headers(_ key: String) -> HTTPHeaders { HTTPHeaders([("Authorization", "Bearer \(key)")]) }

    static func clientName(_ result: Result<GatewayConfig.Client, Problem>) -> String? {
        if case .success(let client) = result { return client.name }
        return nil
    }

    @Test func theKeptDigestServesOnlyItsOwnKeyAndIsComparedAgainstTheCurrentConfiguration() async throws {
        let h = try GatewayHarness()
        let config = h.runtime.handler.state.config
        await h.stop()
        let authenticator = CallerAuthenticator(config: config)
        let memo = HTTPConnectionMemo()

        #expect(Self.clientName(authenticator.identify(Self.headers(Self.all), memo: memo)) == "all-app")
        let kept = memo.withValue(as: APIKeyDigest.self) { $0 }
        #expect(kept?.key == Array(Self.all.utf8) && kept?.digest == SHA256.hash(Array(Self.all.utf8)),
                "the memo holds \(String(describing: kept))")
        #expect(Self.clientName(authenticator.identify(Self.headers(Self.all), memo: memo)) == "all-app")
        // A key of the same length that differs in its last byte is hashed on its own, and refused.
        #expect(Self.clientName(authenticator.identify(Self.headers(Self.almost), memo: memo)) == nil)
        #expect(memo.withValue(as: APIKeyDigest.self) { $0?.key } == Array(Self.almost.utf8))
        #expect(Self.clientName(authenticator.identify(Self.headers(Self.all), memo: memo)) == "all-app")

        // The configuration without the key: the same memo, holding the key's digest, does not let it in.
        var reduced = config
        reduced.clients.removeAll { $0.name == "all-app" }
        #expect(Self.clientName(CallerAuthenticator(config: reduced).identify(Self.headers(Self.all), memo: memo)) == nil)
    }

    /// A hit takes the digest from the memo without hashing: a memo whose digest belongs to another key shows it
    /// (no real memo is ever made so; this one tells a hit from a miss).
    @Test func aHitTakesTheKeptDigest() async throws {
        let h = try GatewayHarness()
        let config = h.runtime.handler.state.config
        await h.stop()
        let memo = HTTPConnectionMemo()
        let other = "some-other-key-of-any-length"
        memo.withValue(as: APIKeyDigest.self) { $0 = APIKeyDigest(key: Array(other.utf8), digest: SHA256.hash(Array(Self.all.utf8))) }
        let authenticator = CallerAuthenticator(config: config)
        #expect(Self.clientName(authenticator.identify(Self.headers(other), memo: memo)) == "all-app")
        // Not the same bytes (a prefix, then one byte longer): hashed, refused.
        #expect(Self.clientName(authenticator.identify(Self.headers(String(other.dropLast())), memo: memo)) == nil)
        memo.withValue(as: APIKeyDigest.self) { $0 = APIKeyDigest(key: Array(other.utf8), digest: SHA256.hash(Array(Self.all.utf8))) }
        #expect(Self.clientName(authenticator.identify(Self.headers(other + "x"), memo: memo)) == nil)
    }

    /// Through the server, on one keep-alive connection: the key, a near miss, the key again, then a reload
    /// without the key; every answer on the same connection.
    @Test func oneConnectionSeesAnotherKeyAndAReloadAtOnce() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let path = "/campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=true"
        let request: @Sendable (String) -> String = { key in
            "DELETE \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\nX-Tenant: v1\r\n\r\n"
        }
        let client = try RawHTTPClient(port: port)
        let statuses = try await OffPool.run { () -> [Int] in
            var statuses: [Int] = []
            for key in [Self.all, Self.almost, Self.all] {
                try client.send(request(key))
                statuses.append(try client.readResponse().status)
            }
            return statuses
        }
        let current = h.runtime.handler.state
        var reduced = current.config
        reduced.clients.removeAll { $0.name == "all-app" }
        h.runtime.handler.replaceState(GatewayState(config: reduced, transport: current.caller.transport,
                                                    observer: h.runtime.handler.observer, previous: current))
        let afterReload = try await OffPool.run { () -> RawHTTPClient.Response in
            try client.send(request(Self.all))
            return try client.readResponse()
        }
        await h.stop()
        #expect(statuses == [200, 401, 200])
        #expect(afterReload.status == 401, "\(afterReload.text)")
        #expect(h.simulator.callCount == 0)
    }
}
