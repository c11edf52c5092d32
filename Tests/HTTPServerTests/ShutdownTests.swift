import Synchronization
import TestSupport
import Testing
import HTTPServer

/// Graceful shutdown: in-flight requests are answered, idle connections closed, then the loops stop.
@Suite(.timeLimit(.minutes(1)))
struct ShutdownTests {
    @Test(arguments: [false, true])
    func inFlightRequestCompletesBeforeShutdownReturns(onLoop: Bool) async throws {
        var configuration = HTTPServerConfiguration(host: "127.0.0.2", port: 0)
        configuration.runsHandlersOnEventLoop = onLoop
        let gate = GatedHandler()
        let server = HTTPServer(configuration: configuration, handler: gate, errorResponder: TestErrorResponder.render)
        let port = try server.start()
        let (busy, idle) = try await OffPool.run {
            let busy = try RawHTTPClient(port: port, host: "127.0.0.2")
            let idle = try RawHTTPClient(port: port, host: "127.0.0.2")
            try busy.send("GET /work HTTP/1.1\r\nHost: t\r\n\r\n")
            return (busy, idle)
        }
        while server.inFlightRequestCount == 0 { try await Task.sleep(nanoseconds: 2_000_000) }

        let finished = Atomic<Bool>(false)
        let shutdown = Task {
            await server.shutdown(graceSeconds: 10)
            finished.store(true, ordering: .sequentiallyConsistent)
        }
        try await Task.sleep(nanoseconds: 150_000_000)
        let finishedEarly = finished.load(ordering: .sequentiallyConsistent)
        #expect(!finishedEarly, "shutdown must wait for the in-flight request")
        #expect(server.inFlightRequestCount == 1)
        // Idle keep-alive connections do not hold the shutdown up; they are closed at once.
        #expect(try await OffPool.run { try idle.readsEOF() })
        // No new connections meanwhile.
        // (127.0.0.2: a parallel test's server reusing the port number on 127.0.0.1 cannot answer.)
        let refused = try await OffPool.run { (try? RawHTTPClient(port: port, host: "127.0.0.2")) == nil }
        #expect(refused)

        gate.open()
        await shutdown.value
        let response = try await OffPool.run { try busy.readResponse() }
        #expect(response.bodyText == "released /work")
        #expect(response.header("Connection") == "close")
        #expect(server.inFlightRequestCount == 0)
        #expect(server.openConnectionCount == 0)
    }

    @Test
    func graceExpiresForAStuckHandler() async throws {
        let gate = GatedHandler()
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: gate, errorResponder: TestErrorResponder.render)
        let port = try server.start()
        let client = try await OffPool.run {
            let client = try RawHTTPClient(port: port)
            try client.send("GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n")
            return client
        }
        while server.inFlightRequestCount == 0 { try await Task.sleep(nanoseconds: 2_000_000) }
        // Timed on a thread of the test's own: the shutdown's resumption does not queue behind other suites' work.
        let elapsed = try await OwnThread.run { _ in
            let start = ContinuousClock.now
            await server.shutdown(graceSeconds: 0.3)
            return ContinuousClock.now - start
        }
        // The handler never finishes on its own: any bound well below "forever" proves the grace period ended it.
        // Generous, because the suite runs in parallel on 2 loaded cores.
        #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(8))
        #expect(try await OffPool.run { try client.readsEOF() })
        #expect(server.openConnectionCount == 0)
        gate.open()  // let the orphaned handler task finish; its answer is dropped
    }
}
