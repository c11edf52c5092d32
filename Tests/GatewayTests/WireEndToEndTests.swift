import KoreSimulator
import Foundation
import Gateway
import GatewayDemo
import Glibc
import HTTPServer
import TestSupport
import Testing
import GatewayConfiguration

/// The real gateway (server, handler, error responder, simulator behind it) driven with raw bytes over loopback:
/// what the HTTP server refuses leaves in the gateway's problem+json shape with
/// `Connection: close` and a closed connection, and no smuggled byte ever reaches Kore.ai; pipelining, unread
/// bodies, `OPTIONS *`, `TRACE`, absolute-form targets and `Expect: 100-continue` through the gateway; 1,000 idle
/// connections while a new request is served; a slowloris and the connection cap with the gateway's own answers;
/// accept back-off on `EMFILE` (the binary under a small descriptor limit); and real curl sending `..` raw.
/// `HTTPServerTests` proves the same server classes with an echo handler.
///
/// Every blocking socket call runs in `OffPool.run`. Serialized: its cases share one demo gateway's connection
/// budget and timing.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct WireEndToEndTests {
    static let key = GatewayHarness.apiKeys["all"]!
    static let auth = "Authorization: Bearer \(key)\r\nX-Tenant: v1\r\n"
    /// A real DELETE of a seeded campaign, hidden where a desynced hop would see a second request.
    static let smuggledDelete = "DELETE /campaigns/voice/\(Samples.v1VoiceDelete) HTTP/1.1\r\nHost: g\r\n\(auth)\r\n"

    struct Rejection: Sendable {
        let name: String
        let raw: String
        let status: Int
        let code: String
    }

    static let rejections: [Rejection] = [
        Rejection(name: "CL.TE", raw: "POST /campaigns/voice/x HTTP/1.1\r\nHost: g\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, code: "bad_request"),
        Rejection(name: "TE.CL", raw: "POST /campaigns/voice/x HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", status: 400, code: "bad_request"),
        Rejection(name: "TE xchunked", raw: "PUT /campaigns/voice/x HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", status: 501, code: "unsupported_transfer_encoding"),
        Rejection(name: "duplicate CL", raw: "PUT /campaigns/voice/x HTTP/1.1\r\nHost: g\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", status: 400, code: "bad_request"),
        Rejection(name: "CL +2", raw: "PUT /campaigns/voice/x HTTP/1.1\r\nHost: g\r\nContent-Length: +2\r\n\r\n{}", status: 400, code: "bad_request"),
        Rejection(name: "obs-fold", raw: "GET /healthz HTTP/1.1\r\nHost: g\r\nX-A: b\r\n c\r\n\r\n", status: 400, code: "bad_request"),
        Rejection(name: "bare LF", raw: "GET /healthz HTTP/1.1\nHost: g\r\n\r\n", status: 400, code: "bad_request"),
        Rejection(name: "missing Host", raw: "GET /healthz HTTP/1.1\r\n\r\n", status: 400, code: "bad_request"),
        Rejection(name: "HTTP/2.0", raw: "GET /healthz HTTP/2.0\r\nHost: g\r\n\r\n", status: 505, code: "http_version_not_supported"),
        Rejection(name: "long target", raw: "GET /campaigns/voice/\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: g\r\n\r\n", status: 414, code: "uri_too_long"),
        Rejection(name: "header block", raw: "GET /healthz HTTP/1.1\r\nHost: g\r\nX-Big: \(String(repeating: "b", count: 20_000))\r\n\r\n", status: 431, code: "header_too_large"),
        Rejection(name: "body over the limit", raw: "PUT /campaigns/voice/x HTTP/1.1\r\nHost: g\r\nContent-Length: 70000\r\n\r\n", status: 413, code: "body_too_large"),
    ]

    /// A rejection as received: the response, and whether the connection then ended (EOF).
    struct Ending: Sendable {
        var response: RawHTTPClient.Response
        var closed: Bool
    }

    /// Reads the one response and then waits for EOF (off the pool).
    static func readEnding(_ client: RawHTTPClient) throws -> Ending {
        let response = try client.readResponse()
        return Ending(response: response, closed: (try? client.readsEOF()) ?? false)
    }

    /// Checks the gateway's problem shape on a rejection and that the connection ended.
    static func expectProblemAndClose(_ ending: Ending, status: Int, code: String, _ name: String) {
        let response = ending.response
        #expect(response.status == status, "\(name): \(response.text)")
        #expect(response.header("Content-Type") == "application/problem+json", "\(name)")
        #expect(response.header("Connection") == "close", "\(name)")
        let json = response.json
        #expect(json?["status"] as? Int == status, "\(name)")
        #expect(json?["code"] as? String == code, "\(name)")
        #expect(json?["type"] as? String == "/problems/" + code.replacingOccurrences(of: "_", with: "-"), "\(name)")
        #expect((json?["title"] as? String)?.isEmpty == false, "\(name)")
        #expect(json?["detail"] is String, "\(name)")
        #expect(json?["retryable"] is Bool, "\(name)")
        #expect(ending.closed, "\(name): connection still open after the rejection")
    }

    @Test func serverRejectionsAreTheGatewayProblemShapeAndNoSmuggledByteReachesKore() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let endings = try await OffPool.run {
            try Self.rejections.map { c in
                let client = try RawHTTPClient(port: port)
                try? client.send(c.raw + Self.smuggledDelete)  // the 413/414/431 cases may be cut off mid-send
                return try Self.readEnding(client)
            }
        }
        for (c, ending) in zip(Self.rejections, endings) {
            Self.expectProblemAndClose(ending, status: c.status, code: c.code, c.name)
        }
        #expect(h.simulator.callCount == 0)
        // The campaign the smuggled DELETEs named is still there.
        let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", tenant: "v1")
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
    }

    /// The gateway does not read a DELETE's body, but the server consumes it by its framing: request text inside it
    /// is data, never a request, and the connection stays usable.
    @Test func bodyTheHandlerIgnoresIsConsumedNotParsed() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let (replies, more) = try await OffPool.run { () -> ([RawHTTPClient.Response], Bool) in
            let client = try RawHTTPClient(port: port)
            let inner = Self.smuggledDelete
            let chunk = String(inner.utf8.count, radix: 16)
            try client.send("DELETE /campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=true HTTP/1.1\r\nHost: g\r\n\(Self.auth)"
                            + "Content-Length: \(inner.utf8.count)\r\n\r\n\(inner)"
                            + "DELETE /campaigns/sms/\(Samples.v1SmsDelete)?dryRun=true HTTP/1.1\r\nHost: g\r\n\(Self.auth)"
                            + "Transfer-Encoding: chunked\r\n\r\n\(chunk)\r\n\(inner)\r\n0\r\n\r\n"
                            + "GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n")
            let replies = try (0..<3).map { _ in try client.readResponse() }
            return (replies, client.readable(milliseconds: 200))
        }
        await h.stop()
        #expect(!more)  // exactly three answers
        #expect(replies.map(\.status) == [200, 200, 200])
        #expect(replies[0].json?["dryRun"] as? Bool == true)
        #expect(replies[1].json?["dryRun"] as? Bool == true)
        #expect(replies[2].json?["status"] as? String == "ok")
        #expect(h.simulator.callCount == 0)
    }

    @Test(arguments: [2, 10])
    func pipelinedRequestsAreAnsweredInOrder(count: Int) async throws {
        let h = try GatewayHarness()
        let port = h.port
        let ids = Self.pipelineIds(count)
        let replies = try await OffPool.run { () -> [RawHTTPClient.Response] in
            let client = try RawHTTPClient(port: port)
            var batch = ""
            for (i, id) in ids.enumerated() {
                switch i % 3 {
                case 0: batch += "DELETE /campaigns/voice/\(Samples.v2VoiceDelete)?dryRun=true HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(Self.key)\r\nX-Tenant: v2\r\nX-Request-Id: \(id)\r\n\r\n"
                case 1: batch += "GET /healthz HTTP/1.1\r\nHost: g\r\nX-Request-Id: \(id)\r\n\r\n"
                default: batch += "DELETE /campaigns/sms/\(Samples.v1SmsDelete)?dryRun=true HTTP/1.1\r\nHost: g\r\n\(Self.auth)X-Request-Id: \(id)\r\n\r\n"
                }
            }
            try client.send(batch)
            return try ids.map { _ in try client.readResponse() }
        }
        await h.stop()
        #expect(replies.map { $0.header("X-Request-Id") ?? "" } == ids)
        #expect(replies.allSatisfy { $0.status == 200 })
        #expect(replies.enumerated().allSatisfy { i, r in r.header("X-Upstream-Version") == [ "v2", nil, "v1" ][i % 3] })
    }

    static func pipelineIds(_ count: Int) -> [String] { (1...count).map { "pipe-\($0)" } }

    /// `OPTIONS *` describes the server (204 with `Allow`); `TRACE` is never echoed: 405 with `Allow` on a known
    /// path, 401 first under /campaigns without a key (authentication comes first there), 404 elsewhere, and the
    /// asterisk form is for OPTIONS only.
    @Test func optionsAsteriskAndTrace() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let marker = "X-Trace-Marker: trace-me-7d1c"
        let (replies, asterisk) = try await OffPool.run { () -> ([RawHTTPClient.Response], Ending) in
            let client = try RawHTTPClient(port: port)
            let requests = [
                "OPTIONS * HTTP/1.1\r\nHost: g\r\n\r\n",
                "OPTIONS /healthz HTTP/1.1\r\nHost: g\r\n\r\n",
                "TRACE /healthz HTTP/1.1\r\nHost: g\r\n\(marker)\r\n\r\n",
                "TRACE /campaigns/voice/\(Samples.v1VoiceDelete) HTTP/1.1\r\nHost: g\r\n\(Self.auth)\(marker)\r\n\r\n",
                "TRACE /campaigns/voice/\(Samples.v1VoiceDelete) HTTP/1.1\r\nHost: g\r\n\(marker)\r\n\r\n",
                "TRACE / HTTP/1.1\r\nHost: g\r\n\(marker)\r\n\r\n",
            ]
            var replies: [RawHTTPClient.Response] = []
            for request in requests {  // one keep-alive connection: none of these closes it
                try client.send(request)
                replies.append(try client.readResponse())
            }
            let other = try RawHTTPClient(port: port)
            try other.send("TRACE * HTTP/1.1\r\nHost: g\r\n\r\n")
            return (replies, try Self.readEnding(other))
        }
        await h.stop()
        #expect(replies.map(\.status) == [204, 405, 405, 405, 401, 404])
        #expect(replies[0].header("Allow") == "DELETE, GET, HEAD, OPTIONS, POST, PUT")
        #expect(replies[0].header("Content-Length") == nil && replies[0].body.isEmpty)
        #expect(replies[1].header("Allow") == "GET, HEAD" && replies[2].header("Allow") == "GET, HEAD")
        // The campaign route's own list (whatever methods it grows), never TRACE.
        #expect(replies[3].header("Allow").map { $0.contains("DELETE") && $0.contains("PUT") && !$0.contains("TRACE") } == true)
        for reply in replies.dropFirst() {
            #expect(reply.header("Content-Type") == "application/problem+json")
            #expect(!reply.text.contains("trace-me") && !reply.text.contains(Self.key))
        }
        Self.expectProblemAndClose(asterisk, status: 400, code: "bad_request", "TRACE *")
        #expect(h.simulator.callCount == 0)
    }

    /// RFC 9112 3.2.2: an absolute-form target is accepted and routed by its path; its authority never reaches
    /// the upstream request.
    @Test func absoluteFormTarget() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let reply = try await OffPool.run { () -> RawHTTPClient.Response in
            let client = try RawHTTPClient(port: port)
            try client.send("DELETE http://attacker.example/campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=true HTTP/1.1\r\n"
                            + "Host: attacker.example\r\n\(Self.auth)\r\n")
            return try client.readResponse()
        }
        await h.stop()
        #expect(reply.status == 200, "\(reply.text)")
        let upstream = (reply.json?["upstreamRequest"] as? [String: Any])?["url"] as? String
        #expect(upstream?.hasPrefix("http://127.0.0.1:") == true)
        #expect(upstream?.contains(Samples.v1VoiceDelete) == true)
        #expect(!reply.text.contains("attacker.example"))
    }

    /// `Expect: 100-continue` both ways: 100, then the body, then the answer; or, for a body over the limit, the
    /// final 413 at once without reading the body, and the connection closed.
    @Test func expectContinueThroughTheGateway() async throws {
        let h = try GatewayHarness()
        let port = h.port
        let body = String(decoding: Samples.data(Samples.voiceBody(withDnc: false)), as: UTF8.self)
        let (interim, final, refused) = try await OffPool.run { () -> (RawHTTPClient.Response, RawHTTPClient.Response, Ending) in
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /campaigns/voice/\(Samples.v1VoiceUpdate)?dryRun=true HTTP/1.1\r\nHost: g\r\n\(Self.auth)"
                            + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            let interim = try client.readResponse()
            try client.send(body)
            let final = try client.readResponse()

            let big = try RawHTTPClient(port: port)
            try big.send("PUT /campaigns/voice/\(Samples.v1VoiceUpdate) HTTP/1.1\r\nHost: g\r\n\(Self.auth)"
                         + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 70000\r\n\r\n")
            return (interim, final, try Self.readEnding(big))
        }
        #expect(interim.status == 100)
        #expect(final.status == 200, "\(final.text)")
        #expect(final.json?["dryRun"] as? Bool == true)
        Self.expectProblemAndClose(refused, status: 413, code: "body_too_large", "Expect with a body over the limit")
        await h.stop()
        #expect(h.simulator.callCount == 0)
    }

    /// 1,000 connections that send nothing do not keep a new client from being served promptly, and none of them is
    /// dropped to make room.
    ///
    /// Both ends of the 1,000 connections live outside the test process (the gateway binary's demo, and a Python
    /// holder), so the test process's own descriptor count stays low while other suites run beside it.
    @Test func thousandIdleConnectionsWhileANewRequestIsServed() async throws {
        try #require(Self.raiseOpenFileLimit(to: 4096) >= 1100, "the gateway needs about 1,050 descriptors")
        let binary = try BinaryLocator.path("campaign-gateway")
        let run = try await OffPool.run { try Self.runThousandIdle(binary: binary) }
        #expect(run.held == 1000)
        #expect(run.openGauge >= 1000, "campaign_gateway_open_connections was \(run.openGauge)")
        #expect(run.served == [200, 200])
        #expect(run.elapsed < .seconds(8), "the new requests took \(run.elapsed) with 1,000 idle connections")
        #expect(run.stillOpen == 1000, "idle connections dropped: \(1000 - run.stillOpen)")
        #expect(run.exitStatus == 0)
    }

    struct ThousandIdleRun: Sendable {
        var held = 0
        var openGauge = 0
        var served: [Int] = []
        var elapsed: Duration = .zero
        var stillOpen = 0
        var exitStatus: Int32 = -1
    }

    /// Opens `argv[2]` connections to port `argv[1]`, says how many, then on a line from stdin says how many have
    /// seen neither data nor EOF.
    static let idleHolder = """
    import resource, select, socket, sys
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 4096), hard), hard))
    port, count = int(sys.argv[1]), int(sys.argv[2])
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    print("held", len(held), flush=True)
    sys.stdin.readline()
    poller = select.poll()
    for s in held:
        poller.register(s, select.POLLIN)
    print("open", len(held) - len(poller.poll(0)), flush=True)
    """

    static func runThousandIdle(binary: String) throws -> ThousandIdleRun {
        signal(SIGPIPE, SIG_IGN)  // a holder that died must fail the test, not kill the test process
        let gateway = try DemoBinary(binary: binary)
        defer { gateway.stop() }
        var run = ThousandIdleRun()
        let holder = try SpawnedProcess("python3", ["-c", idleHolder, String(gateway.port), "1000"])
        defer { holder.signal(SIGKILL) }
        run.held = holder.line(0).flatMap { Int($0.dropFirst("held ".count)) } ?? 0
        // The gateway has accepted them all (not merely left them in its backlog) before the new client arrives.
        let acceptedBy = ContinuousClock.now + .seconds(5)
        repeat {
            run.openGauge = try Self.openConnections(port: gateway.port)
            if run.openGauge >= 1000 { break }
            usleep(20_000)
        } while ContinuousClock.now < acceptedBy
        let start = ContinuousClock.now
        let client = try RawHTTPClient(port: gateway.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n"
                        + "DELETE /campaigns/voice/\(Samples.v1VoiceDelete)?dryRun=true HTTP/1.1\r\nHost: g\r\n"
                        + "Authorization: Bearer \(DemoEnvironment.apiKey)\r\nX-Tenant: \(DemoEnvironment.v1Tenant)\r\n\r\n")
        run.served = [try client.readResponse().status, try client.readResponse().status]
        run.elapsed = ContinuousClock.now - start
        holder.write("check\n")
        run.stillOpen = holder.line(1).flatMap { Int($0.dropFirst("open ".count)) } ?? -1
        _ = holder.waitForExit()
        run.exitStatus = gateway.stop()
        return run
    }

    /// `campaign_gateway_open_connections` from /metrics (the scrape's own connection included).
    static func openConnections(port: Int) throws -> Int {
        let client = try RawHTTPClient(port: port)
        try client.send("GET /metrics HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n")
        let text = try client.readResponse().text
        let line = text.split(separator: "\n").first { $0.hasPrefix("campaign_gateway_open_connections ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) - 1 } ?? 0
    }

    /// Accept back-off on `EMFILE`, on the real binary with a tiny descriptor limit: when every
    /// descriptor is in use the listener pauses instead of spinning (the kernel keeps new connections in the
    /// backlog), and once descriptors are free again the waiting client is served.
    @Test func acceptBacksOffOnEMFILEAndRecovers() async throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        let result = try await OffPool.run { try Self.runOutOfDescriptors(binary: binary) }
        #expect(result.answeredWhileExhausted == false)
        #expect(result.cpuSecondsWhileExhausted < 0.3, "the accept loop spun while out of descriptors")
        #expect(result.statusAfterFreeing == 200)
        #expect(result.log.contains("accept paused: accept4 failed: Too many open files"), "\(result.log)")
        #expect(result.log.contains("accept recovered"))
        #expect(result.exitStatus == 0)
    }

    struct DescriptorRun: Sendable {
        var answeredWhileExhausted: Bool
        var cpuSecondsWhileExhausted: Double
        var statusAfterFreeing: Int?
        var log: String
        var exitStatus: Int32
    }

    static func runOutOfDescriptors(binary: String) throws -> DescriptorRun {
        let gateway = try DemoBinary(binary: binary, openFileLimit: 64)
        defer { gateway.stop() }
        let port = gateway.port, pid = gateway.pid
        let inUse = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 30
        let capacity = max(64 - inUse, 1)
        // More idle connections than the process has descriptors left; the rest wait in the backlog.
        func connect() throws -> RawHTTPClient {
            do {
                return try RawHTTPClient(port: port)
            } catch {
                throw RawHTTPClient.Failure(description: "\(error) connecting to the demo on \(port); its output:\n\(gateway.log)")
            }
        }
        var idle = try (0..<(capacity + 10)).map { _ in try connect() }
        usleep(300_000)
        let waiting = try connect()
        try waiting.send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n")
        let cpuBefore = cpuSeconds(pid)
        let answered = waiting.readable(milliseconds: 1000)
        let cpu = cpuSeconds(pid) - cpuBefore
        idle.removeFirst(capacity + 5)  // the server sees EOF on the accepted ones and frees their descriptors
        let status = waiting.readable(milliseconds: 5000) ? try? waiting.readResponse().status : nil
        idle.removeAll()
        let exitStatus = gateway.stop()
        return DescriptorRun(answeredWhileExhausted: answered, cpuSecondsWhileExhausted: cpu, statusAfterFreeing: status,
                             log: gateway.log, exitStatus: exitStatus)
    }

    /// User plus system CPU time of `pid` so far, from /proc/<pid>/stat.
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Raises the soft RLIMIT_NOFILE towards `wanted` (never above the hard limit); returns the soft limit in force.
    static func raiseOpenFileLimit(to wanted: rlim_t) -> rlim_t {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = min(wanted, limit.rlim_max)
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur
    }

    /// A slowloris against the gateway: one header byte per second cannot stretch the header timeout (1.5 s here);
    /// each attacker gets the gateway's 408 `request_timeout` and is closed, while an ordinary request is served.
    @Test func slowlorisIsCutOffWithTheGatewaysAnswer() async throws {
        let gateway = try DemoGateway { $0.headerTimeoutSeconds = 1.5 }
        let port = gateway.port
        let (cutOff, endings, healthy) = try await OffPool.run { () -> ([Duration], [Ending], Int) in
            let attackers = try (0..<5).map { _ in try RawHTTPClient(port: port) }
            let start = ContinuousClock.now
            let bytes = Array("DELETE /campaigns/voice/x HTTP/1.1\r\nHost: g\r\n".utf8)
            var cutOff: [Duration?] = Array(repeating: nil, count: attackers.count)
            var endings: [Ending] = []
            var healthy = 0
            for second in 0..<5 where cutOff.contains(where: { $0 == nil }) {
                for (i, attacker) in attackers.enumerated() where cutOff[i] == nil { try? attacker.send([bytes[second]]) }
                let normal = try RawHTTPClient(port: port)
                try normal.send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n")
                if try normal.readResponse().status == 200 { healthy += 1 }
                let next = ContinuousClock.now + .seconds(1)
                while ContinuousClock.now < next {
                    for (i, attacker) in attackers.enumerated() where cutOff[i] == nil && attacker.readable(milliseconds: 0) {
                        cutOff[i] = ContinuousClock.now - start
                        endings.append(try Self.readEnding(attacker))
                    }
                    usleep(20_000)
                }
            }
            return (cutOff.map { $0 ?? .seconds(99) }, endings, healthy)
        }
        await gateway.stop()
        #expect(healthy >= 2)
        #expect(endings.count == 5)
        for ending in endings { Self.expectProblemAndClose(ending, status: 408, code: "request_timeout", "slowloris") }
        for at in cutOff { #expect(at >= .milliseconds(1400) && at < .seconds(6), "cut off after \(at)") }
    }

    /// Over the connection cap the gateway still answers, in its own shape: 503 `too_many_connections`,
    /// `retryable: true`, `Connection: close`; the connections already open keep being served.
    @Test func connectionCapAnswersTheGatewaysProblem() async throws {
        let gateway = try DemoGateway { $0.maxConnections = 2 }
        let port = gateway.port
        let (before, refused, after) = try await OffPool.run { () -> ([Int], Ending, Int) in
            let a = try RawHTTPClient(port: port), b = try RawHTTPClient(port: port)
            var before: [Int] = []
            for client in [a, b] {
                try client.send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n")
                before.append(try client.readResponse().status)
            }
            let refused = try Self.readEnding(try RawHTTPClient(port: port))
            try a.send("GET /readyz HTTP/1.1\r\nHost: g\r\n\r\n")
            return (before, refused, try a.readResponse().status)
        }
        await gateway.stop()
        #expect(before == [200, 200])
        Self.expectProblemAndClose(refused, status: 503, code: "too_many_connections", "over the cap")
        #expect(refused.response.json?["retryable"] as? Bool == true)
        #expect(after == 200)
    }

    /// Real curl sending dot segments raw (`--path-as-is`; URLSession and curl's default would remove them):
    /// `..` and `.` are ids that could move the upstream path, so they are 400 `invalid_campaign_id` before any call.
    @Test(.needs("curl"))
    func curlPathAsIsDotSegmentsAre400() async throws {
        let h = try GatewayHarness()
        let base = h.baseURL
        let outputs = try await OffPool.run { () -> [String] in
            try ["..", "."].map { segment in
                try ChildProcess.run(try Tools.require("curl"), ["-sS", "-i", "--max-time", "5", "--path-as-is", "-X", "DELETE",
                                                       "-H", "Authorization: Bearer \(Self.key)", "-H", "X-Tenant: v1",
                                                       "\(base)/campaigns/voice/\(segment)"]).output
            }
        }
        await h.stop()
        for out in outputs {
            #expect(out.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(out)")
            #expect(out.contains("Content-Type: application/problem+json\r\n"))
            #expect(out.contains("\"code\":\"invalid_campaign_id\""))
        }
        #expect(h.simulator.callCount == 0)
    }
}

/// The demo configuration (in-process simulator, demo tenants and key) with its limits adjusted, for the
/// timeouts and the connection cap.
final class DemoGateway: Sendable {
    let demo: DemoEnvironment
    let runtime: GatewayRuntime
    let port: Int

    init(_ adjust: (inout GatewayConfig.Limits) -> Void) throws {
        demo = try DemoEnvironment.start()
        var config = demo.config(host: "127.0.0.1", port: 0)
        adjust(&config.limits)
        runtime = GatewayRuntime(config: config, configPath: nil, logs: LogSink(minimumLevel: .error) { _ in })
        port = try runtime.start()
    }

    func stop() async {
        await runtime.server.shutdown(graceSeconds: 1)
        await demo.simulatorServer.shutdown(graceSeconds: 1)
    }
}

/// `campaign-gateway demo --port 0` as a child process (optionally under a descriptor limit), its output captured.
///
/// A small Python supervisor stays between the test and the gateway and holds a pipe from the test process: when the
/// test process ends for any reason (a crash included) the pipe reaches EOF and the supervisor stops the gateway, so
/// no demo outlives the test run.
final class DemoBinary: Sendable {
    let port: Int
    /// The gateway's own process id (the supervisor's child).
    let pid: Int32
    private let supervisor: SpawnedProcess

    /// argv: binary, descriptor limit (0 = unchanged).
    static let supervisorScript = """
    import resource, signal, subprocess, sys
    binary, limit = sys.argv[1], int(sys.argv[2])
    if limit:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    child = subprocess.Popen([binary, "demo", "--host", "127.0.0.1", "--port", "0"], stdin=subprocess.DEVNULL)
    print(f"demo-binary-pid={child.pid}", flush=True)
    sys.stdin.buffer.read()
    child.send_signal(signal.SIGTERM)
    sys.exit(child.wait())
    """

    init(binary: String, openFileLimit: Int? = nil) throws {
        supervisor = try SpawnedProcess("python3", ["-c", Self.supervisorScript, binary, String(openFileLimit ?? 0)])
        var found: (port: Int, pid: Int32)?
        for _ in 0..<200 where found == nil && supervisor.exit == nil {
            usleep(25_000)
            let text = supervisor.output
            if let portRange = text.range(of: #""port":[0-9]+"#, options: .regularExpression),
               let pidRange = text.range(of: #"demo-binary-pid=[0-9]+"#, options: .regularExpression),
               let port = Int(text[portRange].dropFirst(7)), let pid = Int32(text[pidRange].dropFirst(16)) {
                found = (port, pid)
            }
        }
        guard let found else {
            supervisor.closeInput()
            _ = supervisor.waitForExit(timeoutSeconds: 10)
            throw RawHTTPClient.Failure(description: "the demo did not report its port: \(supervisor.output)")
        }
        (port, pid) = found
    }

    /// What the gateway and its supervisor printed so far.
    var log: String { supervisor.output }

    /// SIGTERM to the gateway (drain), wait, and its exit status; idempotent.
    @discardableResult
    func stop() -> Int32 {
        supervisor.closeInput()  // EOF: the supervisor sends SIGTERM and waits for the gateway
        return supervisor.waitForExit()?.status ?? -1
    }

    deinit {
        supervisor.closeInput()
    }
}
