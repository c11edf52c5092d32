import Foundation
import HTTPServer

/// Runs blocking client code on a thread of its own. Blocking recv() on Swift's cooperative pool (2 threads on this
/// machine) would starve the very handler Tasks the test is waiting for.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// Starts a server on an ephemeral port, runs the blocking `body` off the pool, and shuts the server down.
func withServer(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                _ body: @escaping @Sendable (HTTPServer, Int) throws -> Void) async throws {
    var configuration = configuration
    configuration.port = 0
    let server = HTTPServer(configuration: configuration, handler: EchoHandler(), errorResponder: TestErrorResponder.render)
    let port = try server.start()
    do {
        try await blocking { try body(server, port) }
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
