import Foundation
import HTTPServer
import TestSupport


/// Starts a server on an ephemeral port, runs the blocking `body` off the pool, and shuts the server down.
func withServer(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                _ body: @escaping @Sendable (HTTPServer, Int) throws -> Void) async throws {
    var configuration = configuration
    configuration.port = 0
    // Handlers run on the server's loops: what these tests check (parsing, framing, keep-alive, timeouts) must not
    // wait for Swift's cooperative pool, which every suite of the test process shares and keeps busy at the start of
    // a run. The dispatch to the pool, the library's default, is covered where a test builds its server with it.
    configuration.runsHandlersOnEventLoop = true
    let server = HTTPServer(configuration: configuration, handler: EchoHandler(), errorResponder: TestErrorResponder.render)
    let port = try server.start()
    do {
        try await OffPool.run { try body(server, port) }
    } catch {
        await server.shutdown(graceSeconds: 0)
        throw error
    }
    await server.shutdown(graceSeconds: 1)
}

/// Sleeps the calling (non-pool) thread.
func pause(milliseconds: Int) {
    usleep(useconds_t(milliseconds * 1000))
}
