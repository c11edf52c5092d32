import TestSupport
import Testing
import HTTPServer
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// The real server over loopback sockets with a raw-bytes client.
@Suite(.timeLimit(.minutes(1)))
struct EndToEndTests {
    static let host = "Host: test\r\n"

    @Test
    func simpleGet() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /hello?x=1 HTTP/1.1\r\n\(Self.host)\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "GET /hello?x=1")
            #expect(response.header("Content-Length") == "14")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test
    func keepAliveTwoRequests() async throws {
        try await withServer { server, port in
            let client = try RawHTTPClient(port: port)
            for path in ["/one", "/two"] {
                try client.send("GET \(path) HTTP/1.1\r\n\(Self.host)\r\n")
                #expect(try client.readResponse().header("X-Path") == path)
            }
            #expect(server.openConnectionCount == 1)
        }
    }

    @Test(arguments: [2, 10])
    func pipelinedRequestsAnsweredInOrder(count: Int) async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            var batch = ""
            for i in 1...count {
                // Alternate slow and fast handlers: order must come from the connection, not from timing.
                let path = i % 3 == 1 ? "/slow" : "/\(i)"
                batch += i % 2 == 0
                    ? "POST \(path) HTTP/1.1\r\n\(Self.host)Content-Length: 4\r\n\r\nb\(String(format2(i)))"
                    : "GET \(path)?n=\(i) HTTP/1.1\r\n\(Self.host)\r\n"
            }
            try client.send(batch)
            for i in 1...count {
                let response = try client.readResponse()
                let expected = i % 2 == 0 ? "b\(format2(i))" : "GET \(i % 3 == 1 ? "/slow" : "/\(i)")?n=\(i)"
                #expect(response.bodyText == expected)
            }
        }
    }

    @Test
    func largeResponseToASlowReaderIsDeliveredWhole() async throws {
        try await withServer { _, port in
            _ = EchoHandler.big.count  // built here, off the server's loop
            let client = try RawHTTPClient(port: port)
            try client.send("GET /big HTTP/1.1\r\n\(Self.host)\r\nGET /after HTTP/1.1\r\n\(Self.host)\r\n")
            pause(milliseconds: 200)  // the server fills the socket buffer and must wait for EPOLLOUT
            let response = try client.readResponse()
            #expect(response.body.count == 4 << 20)
            #expect(response.body.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset % 251) })
            #expect(try client.readResponse().bodyText == "GET /after")
        }
    }

    @Test
    func chunkedBody() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /c HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n")
            try client.send("5;ext=1\r\npedia\r\n0\r\nTrailer: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "Wikipedia")
        }
    }

    @Test
    func expectContinue() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /e HTTP/1.1\r\n\(Self.host)Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("hello")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
        }
    }

    @Test
    func expectContinueTooLargeGetsFinal413WithoutReadingBody() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("PUT /e HTTP/1.1\r\n\(Self.host)Expect: 100-continue\r\nContent-Length: 2000000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(try client.readsEOF())
        }
    }

    @Test
    func smugglingCLPlusTEIsRejectedAndClosed() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST / HTTP/1.1\r\n\(Self.host)Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "0\r\n\r\nGET /smuggled HTTP/1.1\r\n\(Self.host)\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.bodyText.contains("\"code\":\"bad_request\""))
            #expect(response.header("Connection") == "close")
            #expect(try client.readsEOF())
        }
    }

    @Test
    func oversizedHeaderIs431() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET / HTTP/1.1\r\n\(Self.host)X-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 431)
            #expect(try client.readsEOF())
        }
    }

    @Test
    func oversizedBodyIs413() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.maxBodyBytes = 1000
        try await withServer(configuration) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST / HTTP/1.1\r\n\(Self.host)Content-Length: 1001\r\n\r\n" + String(repeating: "x", count: 1001))
            #expect(try client.readResponse().status == 413)
            #expect(try client.readsEOF())

            let chunked = try RawHTTPClient(port: port)
            try chunked.send("POST / HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked\r\n\r\n3E8\r\n" + String(repeating: "x", count: 1000)
                             + "\r\n1\r\nx\r\n0\r\n\r\n")
            #expect(try chunked.readResponse().status == 413)
        }
    }

    @Test
    func http10ClosesAfterResponse() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(try client.readsEOF())

            let keep = try RawHTTPClient(port: port)
            try keep.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keep.readResponse().header("Connection") == "keep-alive")
            try keep.send("GET /again HTTP/1.0\r\n\r\n")
            #expect(try keep.readResponse().bodyText == "GET /again")
        }
    }

    @Test
    func headResponseHasNoBody() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("HEAD /h HTTP/1.1\r\n\(Self.host)\r\nGET /after HTTP/1.1\r\n\(Self.host)\r\n")
            let head = try client.readResponse(head: true)
            #expect(head.header("Content-Length") == "7")
            // If HEAD had carried a body, this would read "HEAD /h" instead of the next response.
            #expect(try client.readResponse().bodyText == "GET /after")
        }
    }

    @Test
    func slowClientHitsHeaderTimeout() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.headerTimeoutSeconds = 0.5
        try await withServer(configuration) { _, port in
            let client = try RawHTTPClient(port: port)
            let start = ContinuousClock.now
            try client.send("GET / HTTP/1.1\r\n")
            // One byte every 100 ms would keep a naive per-read timeout alive forever.
            for _ in 0..<4 {
                pause(milliseconds: 100)
                try client.send("X")
            }
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(try client.readsEOF())
            let elapsed = ContinuousClock.now - start
            #expect(elapsed >= .milliseconds(450))
            #expect(elapsed < .seconds(8))  // generous: two loaded cores; the lower bound is the claim
        }
    }

    @Test
    func idleKeepAliveIsClosedSilently() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.idleTimeoutSeconds = 0.3
        try await withServer(configuration) { server, port in
            let client = try RawHTTPClient(port: port)
            // Timed from before the request: the idle period cannot start earlier, however late this thread sees the
            // response (timed from the response's arrival, a loaded machine made the idle period look short).
            let start = ContinuousClock.now
            try client.send("GET / HTTP/1.1\r\n\(Self.host)\r\n")
            #expect(try client.readResponse().status == 200)
            #expect(try client.readsEOF())
            #expect(ContinuousClock.now - start >= .milliseconds(250))
            pause(milliseconds: 50)
            #expect(server.openConnectionCount == 0)
        }
    }

    @Test
    func hugeHeaderlessInputIsRejectedQuickly() async throws {
        try await withServer { _, port in
            let start = ContinuousClock.now
            let line = try RawHTTPClient(port: port)
            // 200 KB without a single CRLF: must be cut off at the request-line limit, not buffered.
            try? line.send("GET /" + String(repeating: "a", count: 200_000))
            #expect(try line.readResponse().status == 414)

            let header = try RawHTTPClient(port: port)
            try? header.send("GET / HTTP/1.1\r\n\(Self.host)X-A: " + String(repeating: "b", count: 200_000))
            #expect(try header.readResponse().status == 431)
            #expect(ContinuousClock.now - start < .seconds(8))
        }
    }

    @Test
    func manyConcurrentConnections() async throws {
        try await withServer { server, port in
            var clients: [RawHTTPClient] = []
            for _ in 0..<200 { clients.append(try RawHTTPClient(port: port)) }
            for (i, client) in clients.enumerated() { try client.send("GET /c\(i) HTTP/1.1\r\n\(Self.host)\r\n") }
            for (i, client) in clients.enumerated() {
                #expect(try client.readResponse().bodyText == "GET /c\(i)")
            }
            #expect(server.openConnectionCount == 200)
        }
    }

    @Test
    func multipleEventLoops() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.eventLoopCount = 2
        try await withServer(configuration) { _, port in
            var clients: [RawHTTPClient] = []
            for _ in 0..<20 { clients.append(try RawHTTPClient(port: port)) }
            for (i, client) in clients.enumerated() { try client.send("GET /l\(i) HTTP/1.1\r\n\(Self.host)\r\n") }
            for (i, client) in clients.enumerated() { #expect(try client.readResponse().bodyText == "GET /l\(i)") }
        }
    }

    @Test
    func connectionCapAnswers503() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.maxConnections = 2
        try await withServer(configuration) { server, port in
            let a = try RawHTTPClient(port: port)
            let b = try RawHTTPClient(port: port)
            try a.send("GET / HTTP/1.1\r\n\(Self.host)\r\n")
            try b.send("GET / HTTP/1.1\r\n\(Self.host)\r\n")
            _ = try a.readResponse()
            _ = try b.readResponse()
            let c = try RawHTTPClient(port: port)
            let response = try c.readResponse()
            #expect(response.status == 503)
            #expect(response.header("Connection") == "close")
            #expect(try c.readsEOF())
            try a.send("GET /still HTTP/1.1\r\n\(Self.host)\r\n")
            #expect(try a.readResponse().bodyText == "GET /still")
        }
    }

    @Test
    func stopAcceptingKeepsExistingConnections() async throws {
        // On 127.0.0.2, so a parallel test's server that reuses the freed port number (on 127.0.0.1) cannot answer.
        var configuration = HTTPServerConfiguration(host: "127.0.0.2")
        configuration.idleTimeoutSeconds = 30
        try await withServer(configuration) { server, port in
            let client = try RawHTTPClient(port: port, host: "127.0.0.2")
            try client.send("GET /1 HTTP/1.1\r\n\(Self.host)\r\n")
            _ = try client.readResponse()
            server.stopAccepting()
            server.stopAccepting()
            // A new connection is refused, or, when another test's server has meanwhile taken the freed port number,
            // reaches that server and not this one (which still holds just its one connection).
            if let stray = try? RawHTTPClient(port: port, host: "127.0.0.2") {
                usleep(200_000)
                #expect(server.openConnectionCount == 1, "the stopped listener still accepted a connection")
                _ = stray
            }
            try client.send("GET /2 HTTP/1.1\r\n\(Self.host)\r\n")
            #expect(try client.readResponse().bodyText == "GET /2")
        }
    }

    @Test
    func bindFailureIsATypedError() async throws {
        try await withServer { _, port in
            let second = HTTPServer(configuration: HTTPServerConfiguration(port: port), handler: EchoHandler(), errorResponder: TestErrorResponder.render)
            #expect {
                _ = try second.start()
            } throws: { error in
                (error as? SocketError)?.syscall == "bind" && (error as? SocketError)?.errno == EADDRINUSE
            }
        }
    }

    @Test
    func halfCloseStillGetsAnswers() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /a HTTP/1.1\r\n\(Self.host)\r\nGET /b HTTP/1.1\r\n\(Self.host)\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().bodyText == "GET /a")
            // Whether the last response says `Connection: close` depends on whether the EOF was read before it was
            // ready; either way the server closes once the buffered requests are answered.
            #expect(try client.readResponse().bodyText == "GET /b")
            #expect(try client.readsEOF())
        }
    }
}

private func format2(_ i: Int) -> String { i < 10 ? "00\(i)" : "0\(i)" }
