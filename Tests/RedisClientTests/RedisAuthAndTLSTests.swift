import Foundation
import RedisClient
import TestSupport
import Testing

/// `AUTH` with an ACL user, and `rediss://` with a CA made for the test, against a real redis-server.
@Suite(.needs("redis-server", "openssl"), .timeLimit(.minutes(2)))
struct RedisAuthAndTLSTests {
    static let certificates = Result { try TestCertificates.make() }

    static func pki() async throws -> TestCertificates {
        try await OffPool.run { try certificates.get() }
    }

    /// A server whose only enabled user is `gateway` (the default user is off, so nothing works unauthenticated).
    static func aclServer() async throws -> RedisServerProcess {
        try await RedisServerProcess.start(["--user", "gateway", "on", ">correct horse", "~*", "+@all", "--user", "default", "off"])
    }

    @Test func anACLUserWithTheRightPasswordIsAuthenticatedOnEveryConnection() async throws {
        let server = try await Self.aclServer()
        let client = try RedisTest.client(server.url, username: "gateway", password: "correct horse")
        #expect(try await client.send(["ACL", "WHOAMI"]).string == "gateway")
        // After the server dropped the connection, the next one authenticates again.
        #expect(try await client.send(["CLIENT", "KILL", "USER", "gateway", "SKIPME", "no"]).integer == 1)
        let again = try await RedisServerTests.eventually { try await client.send(["ACL", "WHOAMI"]) }
        #expect(again.string == "gateway")
    }

    @Test func aWrongPasswordIsAClearAuthenticationFailure() async throws {
        let server = try await Self.aclServer()
        let client = try RedisTest.client(server.url, username: "gateway", password: "not-the-password-42")
        let refused = await RedisTest.result(client, ["PING"])
        guard case .authenticationFailed(let detail) = refused.failure else { Issue.record("got \(refused)"); return }
        #expect(detail.contains("AUTH as user gateway at 127.0.0.1:\(server.port)"), "\(detail)")
        #expect(detail.contains("WRONGPASS"), "\(detail)")
        #expect(!detail.contains("not-the-password-42"), "the password is not repeated: \(detail)")
        // Until the backoff delay passed, the same refusal at once, without another attempt.
        let patient = try RedisTest.client(server.url, username: "gateway", password: "not-the-password-42") {
            $0.reconnect = .init(minimumSeconds: 5, maximumSeconds: 5)
        }
        _ = await RedisTest.result(patient, ["PING"])
        guard case .authenticationFailed(let repeated) = await RedisTest.result(patient, ["PING"]).failure else {
            Issue.record("the second command was not refused as unauthenticated"); return
        }
        #expect(repeated.contains("WRONGPASS") && repeated.contains("next attempt in"), "\(repeated)")
        // An unknown user is refused the same way.
        let stranger = try RedisTest.client(server.url, username: "nobody", password: "correct horse")
        guard case .authenticationFailed(let unknown) = await RedisTest.result(stranger, ["PING"]).failure else {
            Issue.record("an unknown user was not refused"); return
        }
        #expect(unknown.contains("user nobody") && unknown.contains("WRONGPASS"), "\(unknown)")
    }

    @Test func noPasswordForAServerThatRequiresOneIsAnAuthenticationFailure() async throws {
        let server = try await Self.aclServer()
        let client = try RedisTest.client(server.url)
        let refused = await RedisTest.result(client, ["GET", "k"])
        guard case .authenticationFailed(let detail) = refused.failure else { Issue.record("got \(refused)"); return }
        #expect(detail.hasPrefix("NOAUTH"), "\(detail)")
        // With a database to select, the refusal comes at connect time and says so.
        let selecting = try RedisTest.client(server.url + "/2")
        guard case .authenticationFailed(let atConnect) = await RedisTest.result(selecting, ["GET", "k"]).failure else {
            Issue.record("SELECT without AUTH was not refused"); return
        }
        #expect(atConnect.contains("requires a password"), "\(atConnect)")
    }

    static func tlsServer(_ pki: TestCertificates, certificate: String) async throws -> RedisServerProcess {
        try await RedisServerProcess.start(["--tls-cert-file", certificate, "--tls-key-file", pki.key,
                                            "--tls-ca-cert-file", pki.caFile, "--tls-auth-clients", "no"], tls: true)
    }

    @Test func redissWithTheTestCAWorksByNameAndByAddress() async throws {
        let pki = try await Self.pki()
        let server = try await Self.tlsServer(pki, certificate: pki.good)
        for host in ["localhost", "127.0.0.1"] {
            let client = try RedisTest.client("rediss://\(host):\(server.port)/1", caFile: pki.caFile)
            #expect(try await client.send(["SET", "over", "tls"]) == .simpleString("OK"))
            #expect(try await client.send(["GET", "over"]).string == "tls")
            let big = [UInt8](repeating: 0x5A, count: 300_000)
            #expect(try await client.send(["SET", "big", RedisArgument(big)]) == .simpleString("OK"))
            #expect(try await client.send(["GET", "big"]) == .bulkString(big), "a value larger than TLS records and socket buffers")
            #expect(try await client.send(["CLIENT", "INFO"]).string?.contains(" db=1 ") == true)
        }
    }

    @Test func rejectedCertificatesAreUnavailableWithTheReason() async throws {
        let pki = try await Self.pki()
        let good = try await Self.tlsServer(pki, certificate: pki.good)
        let wrongName = try await Self.tlsServer(pki, certificate: pki.wrongName)
        for (url, caFile, reason) in [("rediss://localhost:\(good.port)", nil, "certificate of localhost not verified"),
                                      ("rediss://localhost:\(wrongName.port)", pki.caFile, "hostname mismatch")] {
            // Without a CA file the system store is used, which does not know the test CA.
            let result = await RedisTest.result(try RedisTest.client(url, caFile: caFile, timeout: 3), ["PING"])
            guard case .unavailable(let detail) = result.failure, detail.contains(reason) else {
                Issue.record("\(url): \(result)"); continue
            }
        }
        // Plain RESP to a TLS port: whatever the server sends back (a TLS alert, a close) is not a reply.
        let plain = await RedisTest.result(try RedisTest.client("redis://localhost:\(good.port)", timeout: 3), ["PING"])
        switch plain.failure {
        case .connectionLost, .protocolViolation: break
        default: Issue.record("plain RESP to a TLS port: \(plain)")
        }
        let unreadable = try RedisTest.client("rediss://localhost:\(good.port)", caFile: "/nonexistent/ca.pem")
        #expect(unreadable.tlsProblem?.contains("/nonexistent/ca.pem") == true)
        guard case .unavailable(let detail) = await RedisTest.result(unreadable, ["PING"]).failure else {
            Issue.record("an unreadable CA file did not make rediss unavailable"); return
        }
        #expect(detail.contains("TLS is not available"), "\(detail)")
    }
}
