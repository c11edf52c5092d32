import Foundation
import HTTPClient
import TestSupport
import Testing

/// TLS through the system's OpenSSL against a Python TLS server with certificates made in the test. A good chain
/// works; every refused one is `.unavailable` with the reason, and the server received no application byte (so a
/// token in the request never left the client).
@Suite(.serialized, .needs("python3", "openssl"), .timeLimit(.minutes(2)))
struct TLSTests {
    static let certificates = Result { try TestCertificates.make() }

    /// The test CA, made on first use off the cooperative pool (ten openssl runs).
    static func pki() async throws -> TestCertificates {
        try await OffPool.run { try certificates.get() }
    }

    static func client(caFile: String?) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.caFile = caFile
        return HTTPClient(configuration: configuration)
    }

    static func send(_ client: HTTPClient, host: String, port: Int) async -> Result<HTTPClientResponse, HTTPClientError> {
        let target = HTTPRequestTarget(scheme: .https, host: host, port: port, pathAndQuery: "/secret")
        let request = HTTPClientRequest(method: "DELETE", target: target, headers: [(name: "auth", value: "token-that-must-not-leak")])
        return await client.execute(request, timeoutSeconds: 5)
    }

    func refused(cert: (TestCertificates) -> String, versions: String = "modern", host: String = "localhost",
                 reason expected: String) async throws {
        let pki = try await Self.pki()
        let server = try await ServerProcess.start(script: "tls_upstream.py", [cert(pki), pki.key, versions])
        let result = await Self.send(Self.client(caFile: pki.caFile), host: host, port: server.port)
        guard case .failure(.unavailable(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains(expected), "detail: \(detail)")
        #expect(await server.waitForLog { $0.contains { $0.hasPrefix("bytes") } }, "the server saw the connection end")
        #expect(server.log.filter { $0.hasPrefix("bytes") } == ["bytes 0"], "no request byte reached the server: \(server.log)")
    }

    @Test func goodChainByNameWorksAndTheConnectionIsReused() async throws {
        let pki = try await Self.pki()
        let server = try await ServerProcess.start(script: "tls_upstream.py", [pki.good, pki.key, "modern"])
        let client = Self.client(caFile: pki.caFile)
        for _ in 0..<3 {
            let response = try await Self.send(client, host: "localhost", port: server.port).get()
            #expect(response.status == 200)
            #expect(response.body == Array("tls-ok".utf8))
        }
        #expect(server.count("handshake-ok") == 1, "three requests over one TLS connection: \(server.log)")
    }

    @Test func aNewConnectionToTheSameHostResumesTheTLSSession() async throws {
        let pki = try await Self.pki()
        let server = try await ServerProcess.start(script: "tls_upstream.py", [pki.good, pki.key, "modern-close"])
        let client = Self.client(caFile: pki.caFile)
        for _ in 0..<3 {
            #expect(try await Self.send(client, host: "localhost", port: server.port).get().status == 200)
        }
        let handshakes = server.log.filter { $0.hasPrefix("handshake-ok") }
        #expect(handshakes == ["handshake-ok reused=False", "handshake-ok reused=True", "handshake-ok reused=True"], "\(server.log)")
    }

    @Test func goodChainByIPAddressIsCheckedAgainstTheIPSubjectAltName() async throws {
        let pki = try await Self.pki()
        let server = try await ServerProcess.start(script: "tls_upstream.py", [pki.good, pki.key, "modern"])
        let response = try await Self.send(Self.client(caFile: pki.caFile), host: "127.0.0.1", port: server.port).get()
        #expect(response.status == 200)
    }

    @Test func systemStoreFromSSLCertFileIsUsedWhenNoCAFileIsConfigured() async throws {
        let pki = try await Self.pki()
        let server = try await ServerProcess.start(script: "tls_upstream.py", [pki.good, pki.key, "modern"])
        // OpenSSL reads SSL_CERT_FILE when the client's context loads its default verify paths.
        let previous = ProcessInfo.processInfo.environment["SSL_CERT_FILE"]
        setenv("SSL_CERT_FILE", pki.caFile, 1)
        let client = Self.client(caFile: nil)
        #expect(client.prepareTLS() == nil)
        if let previous { setenv("SSL_CERT_FILE", previous, 1) } else { unsetenv("SSL_CERT_FILE") }
        let response = try await Self.send(client, host: "localhost", port: server.port).get()
        #expect(response.status == 200)
        // And without it, the system store does not know the test CA.
        let system = await Self.send(Self.client(caFile: nil), host: "localhost", port: server.port)
        guard case .failure(.unavailable(let detail)) = system else { Issue.record("got \(system)"); return }
        #expect(detail.contains("not verified"))
    }

    @Test func unknownCAIsRefusedBeforeAnyRequestByte() async throws {
        try await refused(cert: \.unknownCA, reason: "unable to get local issuer certificate")
    }

    @Test func wrongHostNameIsRefusedBeforeAnyRequestByte() async throws {
        try await refused(cert: \.wrongName, reason: "hostname mismatch")
    }

    @Test func wrongIPAddressIsRefusedBeforeAnyRequestByte() async throws {
        try await refused(cert: \.wrongName, host: "127.0.0.1", reason: "IP address mismatch")
    }

    @Test func expiredCertificateIsRefusedBeforeAnyRequestByte() async throws {
        try await refused(cert: \.expired, reason: "certificate has expired")
    }

    @Test func tls11OnlyServerIsRefusedBeforeAnyRequestByte() async throws {
        try await refused(cert: \.good, versions: "tls11", reason: "protocol")
    }

    @Test func unreadableCAFileIsReportedAndHTTPSRequestsAreUnavailable() async throws {
        let client = Self.client(caFile: "/nonexistent/ca.pem")
        #expect(client.prepareTLS()?.contains("/nonexistent/ca.pem") == true)
        let result = await Self.send(client, host: "localhost", port: 9)
        guard case .failure(.unavailable) = result else { Issue.record("got \(result)"); return }
        // Never prepared: the first https connection (to a server that accepts it) makes the context, and fails
        // with the reason.
        let pki = try await Self.pki()
        let server = try await ServerProcess.start(script: "tls_upstream.py", [pki.good, pki.key, "modern"])
        let unprepared = await Self.send(Self.client(caFile: "/nonexistent/ca.pem"), host: "localhost", port: server.port)
        guard case .failure(.unavailable(let reason)) = unprepared else { Issue.record("got \(unprepared)"); return }
        #expect(reason.contains("/nonexistent/ca.pem"), "\(reason)")
    }
}
