import Foundation
import HTTPClient
import TestSupport
import Testing

/// Upstreams that misbehave, over real loopback sockets: each ends in the error the caller maps to a problem,
/// within the deadline, without reading more than the cap.
@Suite(.serialized, .needs("python3"), .timeLimit(.minutes(2)))
struct HostileUpstreamTests {
    static func client(maxBodyBytes: Int = 1 << 20) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.limits.maxBodyBytes = maxBodyBytes
        return HTTPClient(configuration: configuration)
    }

    static func get(_ client: HTTPClient, port: Int, method: String = "GET", timeout: Double = 3) async -> Result<HTTPClientResponse, HTTPClientError> {
        let target = HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: port, pathAndQuery: "/x?y=1")
        return await client.execute(HTTPClientRequest(method: method, target: target), timeoutSeconds: timeout)
    }

    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
    }

    @Test func wellBehavedUpstreamAnswersAndTheConnectionIsReused() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let client = Self.client()
        for _ in 0..<5 {
            let response = try await Self.get(client, port: server.port).get()
            #expect(response.status == 200)
            #expect(response.body == Array("ok".utf8))
        }
        #expect(server.count("req GET /x?y=1 HTTP/1.1") == 5)
        #expect(server.count("conn") == 1, "five requests in a row share one pooled connection")
    }

    /// `HTTPRequestTarget`'s public initializer takes any strings: a path or host with CR, LF, a space or a control
    /// byte would write a request (or a Host header) of the caller's making. Such a request is never written.
    @Test func aTargetThatCouldSplitTheRequestIsNeverWritten() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let client = Self.client()
        let targets = [
            ("127.0.0.1", "/a HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /b"),
            ("127.0.0.1", "/a\nX-Injected: 1"),
            ("127.0.0.1", "/a b"),
            ("127.0.0.1", "/a\u{7F}"),
            ("127.0.0.1", "/caf\u{E9}"),
            ("127.0.0.1", "relative"),
            ("127.0.0.1\r\nX-Injected: 1", "/"),
            ("127.0.0.1 x", "/"),
            ("127.0.0.1/evil", "/"),
            ("", "/"),
        ]
        for (host, path) in targets {
            let target = HTTPRequestTarget(scheme: .http, host: host, port: server.port, pathAndQuery: path)
            let result = await client.execute(HTTPClientRequest(method: "GET", target: target), timeoutSeconds: 3)
            guard case .failure(.unavailable(let detail)) = result else {
                Issue.record("\(host.debugDescription) \(path.debugDescription) gave \(result)")
                continue
            }
            #expect(detail.contains("target"), "\(detail)")
        }
        let badPort = HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: 70_000, pathAndQuery: "/")
        #expect(await client.execute(HTTPClientRequest(method: "GET", target: badPort), timeoutSeconds: 3).failure != nil)
        // The same client still sends a good request, and that is all the upstream ever saw.
        #expect(try await Self.get(client, port: server.port).get().status == 200)
        #expect(server.log.filter { $0.hasPrefix("req ") } == ["req GET /x?y=1 HTTP/1.1"], "\(server.log)")
    }

    @Test func gzipBodyIsABadResponseAndNeverInflated() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["gzip"])
        let result = await Self.get(Self.client(), port: server.port)
        guard case .failure(.badResponse(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("gzip"))
    }

    @Test func hundredMegabyteLengthIsRefusedBeforeItsBody() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["huge-length"])
        let before = Self.residentBytes()
        let result = await Self.get(Self.client(), port: server.port)
        // The declared length in the failure: refused from the head, before a byte of the body was kept.
        #expect(result.failure == .responseTooLarge(100 << 20))
        #expect(Self.residentBytes() - before < 32 << 20)
    }

    @Test func hundredMegabyteCloseDelimitedBodyStopsAtTheCap() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["huge-close"])
        let before = Self.residentBytes()
        let result = await Self.get(Self.client(maxBodyBytes: 1 << 20), port: server.port)
        #expect(result.failure == .responseTooLarge((1 << 20) + 1))
        #expect(Self.residentBytes() - before < 32 << 20, "memory stays near the 1 MiB cap")
    }

    @Test func endlessChunkedBodyStopsAtTheCap() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["endless-chunked"])
        let result = await Self.get(Self.client(maxBodyBytes: 256 << 10), port: server.port)
        guard case .failure(.responseTooLarge(let size)) = result else { Issue.record("got \(result)"); return }
        #expect(size > 256 << 10 && size <= (256 << 10) + 1024)
    }

    @Test func slowTrickleEndsAtTheDeadline() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["trickle"])
        // Timed on a thread of the test's own, so the resumption measured is not queued behind other suites' work.
        let (result, elapsed) = try await OwnThread.run { _ in
            let start = Date()
            let result = await Self.get(Self.client(), port: server.port, timeout: 1)
            return (result, Date().timeIntervalSince(start))
        }
        #expect(result.failure == .timeout)
        // The trickle would last 100 s; the lower bound shows no early cut, the upper one that the 1 s deadline
        // bounds the whole exchange.
        #expect(elapsed >= 0.9 && elapsed < 10, "\(elapsed) s")
    }

    /// A request on a pooled connection has no timer of its own: the connection's one timer, armed across requests,
    /// must still end it at its deadline.
    @Test func slowAnswerOnAPooledConnectionEndsAtTheDeadline() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok-then-trickle"])
        let client = Self.client()
        #expect(try await Self.get(client, port: server.port, timeout: 30).get().status == 200)
        let (result, elapsed) = try await OwnThread.run { _ in
            let start = Date()
            let result = await Self.get(client, port: server.port, timeout: 1)
            return (result, Date().timeIntervalSince(start))
        }
        #expect(result.failure == .timeout)
        #expect(elapsed >= 0.9 && elapsed < 10, "\(elapsed) s")
        #expect(server.count("conn") == 1, "the second request went out on the pooled connection")
        // The timed-out connection is closed, not pooled: a third request opens a new one.
        _ = await Self.get(client, port: server.port, timeout: 0.3)
        #expect(server.count("conn") == 2, "log: \(server.log)")
    }

    /// The idle expiry shares the connection's timer with the requests' deadlines: an idle connection is still
    /// closed once `idleTimeoutSeconds` pass without a request, and one in use is not.
    @Test func idleConnectionClosesAfterTheIdleTimeoutAndABusyOneStays() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        var configuration = HTTPClient.Configuration()
        configuration.idleTimeoutSeconds = 0.6
        let client = HTTPClient(configuration: configuration)
        // Requests closer together than the idle timeout for longer than it: the timer armed after the first fires
        // while the connection is in use or freshly idle again, and must wait on instead of closing it.
        var widestGap = 0.0
        var lastEnd = Date()
        let start = Date()
        while Date().timeIntervalSince(start) < 1.5 {
            widestGap = max(widestGap, Date().timeIntervalSince(lastEnd))
            #expect(try await Self.get(client, port: server.port, timeout: 30).get().status == 200)
            lastEnd = Date()
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        // A machine stalled for longer than the idle timeout between two requests may rightly have closed it.
        if widestGap < 0.5 {
            #expect(server.count("conn") == 1, "requests at most \(widestGap) s apart; log: \(server.log.suffix(5))")
        }
        #expect(await server.waitForLog(seconds: 10) { $0.contains("eof") }, "the idle connection was never closed")
    }

    @Test func garbageStatusLineIsABadResponse() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["garbage"])
        let result = await Self.get(Self.client(), port: server.port)
        guard case .failure(.badResponse(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("status line"))
    }

    @Test func headersOverSixtyFourKiBAreABadResponse() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["big-headers"])
        let result = await Self.get(Self.client(), port: server.port)
        #expect(result.failure == .badResponse("the answer's head exceeds 65536 bytes"))
    }

    @Test func closeMidBodyIsALostConnection() async throws {
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["close-mid-body"])
        let result = await Self.get(Self.client(), port: server.port)
        guard case .failure(.connectionLost) = result else { Issue.record("got \(result)"); return }
    }

    @Test func refusedConnectionIsUnavailable() async throws {
        // A port that was just free: nothing listens there.
        let server = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let port = server.port
        await server.stop()
        let result = await Self.get(Self.client(), port: port)
        guard case .failure(.unavailable(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("refused"))
    }

    @Test func unresolvableHostIsUnavailable() async {
        let target = HTTPRequestTarget(scheme: .http, host: "no-such-host.invalid", port: 80, pathAndQuery: "/")
        let result = await Self.client().execute(HTTPClientRequest(method: "GET", target: target), timeoutSeconds: 5)
        guard case .failure(.unavailable(let detail)) = result else { Issue.record("got \(result)"); return }
        #expect(detail.contains("no-such-host.invalid"))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
