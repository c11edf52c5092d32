import TestSupport
import Testing
import HTTPServer

/// The same server with `runsHandlersOnEventLoop`: handlers (including ones that suspend) run on the loop's
/// task executor, and ordering, concurrency and shutdown behave as on the global pool.
@Suite(.timeLimit(.minutes(1)))
struct OnLoopHandlerTests {
    static var configuration: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.runsHandlersOnEventLoop = true
        configuration.eventLoopCount = 2
        return configuration
    }

    @Test
    func pipelinedWithSuspendingHandlerStaysOrdered() async throws {
        try await withServer(Self.configuration) { _, port in
            let client = try RawHTTPClient(port: port)
            var batch = ""
            for i in 0..<6 { batch += "GET \(i % 2 == 0 ? "/slow" : "/fast")?i=\(i) HTTP/1.1\r\nHost: t\r\n\r\n" }
            try client.send(batch)
            for i in 0..<6 {
                #expect(try client.readResponse().bodyText == "GET \(i % 2 == 0 ? "/slow" : "/fast")?i=\(i)")
            }
        }
    }

    /// A handler that answers without suspending runs at once, inside the connection's handling of the read; its
    /// answer is held and sent after that, so a long pipeline of such requests is answered in order, one after
    /// another, without nesting a call per request (and with `/close` in the middle, nothing after it).
    @Test
    func manyPipelinedRequestsAnsweredAtOnceStayOrdered() async throws {
        try await withServer(Self.configuration) { _, port in
            let client = try RawHTTPClient(port: port)
            var batch = ""
            for i in 0..<400 { batch += "GET /fast?i=\(i) HTTP/1.1\r\nHost: t\r\n\r\n" }
            batch += "GET /close HTTP/1.1\r\nHost: t\r\n\r\nGET /fast?after HTTP/1.1\r\nHost: t\r\n\r\n"
            try client.send(batch)
            for i in 0..<400 {
                let response = try client.readResponse()
                #expect(response.bodyText == "GET /fast?i=\(i)", "answer \(i) of 400")
                if response.bodyText != "GET /fast?i=\(i)" { return }
            }
            let closing = try client.readResponse()
            #expect(closing.bodyText == "GET /close")
            #expect(closing.headers.contains { $0.0.lowercased() == "connection" && $0.1 == "close" },
                    "the answer to /close says so: \(closing.headers)")
        }
    }

    @Test
    func slowHandlersOverlapAcrossConnections() async throws {
        // One loop: every handler runs on the same thread, so only suspension (never blocking) lets them overlap.
        var configuration = Self.configuration
        configuration.eventLoopCount = 1
        try await withServer(configuration) { _, port in
            let clients = try (0..<10).map { _ in try RawHTTPClient(port: port) }
            let start = ContinuousClock.now
            for client in clients { try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n") }
            for client in clients { #expect(try client.readResponse().status == 200) }
            // Ten 300 ms handlers that suspend (not block) finish together, in about 300 ms; one after another they
            // would take 3 s. Half of that leaves room for two loaded cores and still fails a loop that blocks.
            #expect(ContinuousClock.now - start < .milliseconds(1500))
        }
    }
}
