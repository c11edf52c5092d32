import HTTPClient
import HTTPServer
import Synchronization
import TestSupport
import Testing
import Transport

/// A server handler running on its connection's loop calls the client: the request runs on that loop (no thread
/// of the client's own), and answers come back to the handler.
@Suite(.serialized, .needs("python3"), .timeLimit(.minutes(1)))
struct OnLoopClientTests {
    final class ForwardingHandler: HTTPHandler {
        let client: HTTPClient
        let upstreamPort: Int
        let offLoopCalls = Atomic<Int>(0)

        init(client: HTTPClient, upstreamPort: Int) {
            self.client = client
            self.upstreamPort = upstreamPort
        }

        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            if EventLoop.current == nil { offLoopCalls.add(1, ordering: .relaxed) }
            let target = HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: upstreamPort, pathAndQuery: "/from-handler")
            switch await client.execute(HTTPClientRequest(method: "GET", target: target), timeoutSeconds: 3) {
            case .success(let response): return HTTPResponse(status: 200, body: response.body)
            case .failure(let error): return HTTPResponse(status: 502, body: Array("\(error)".utf8))
            }
        }
    }

    @Test func handlerOnItsLoopCallsTheClientOnThatLoop() async throws {
        let upstream = try await ServerProcess.start(script: "hostile_upstream.py", ["ok"])
        let inner = HTTPClient()
        let handler = ForwardingHandler(client: inner, upstreamPort: upstream.port)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        configuration.runsHandlersOnEventLoop = true
        let server = HTTPServer(configuration: configuration, handler: handler) { rejection in
            HTTPResponse(status: rejection.status)
        }
        let port = try server.start()
        let outer = HTTPClient()
        for _ in 0..<10 {
            let target = HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: port, pathAndQuery: "/")
            let response = try await outer.execute(HTTPClientRequest(method: "GET", target: target), timeoutSeconds: 5).get()
            #expect(response.status == 200)
            #expect(response.body == Array("ok".utf8))
        }
        await server.shutdown(graceSeconds: 1)
        #expect(handler.offLoopCalls.load(ordering: .relaxed) == 0, "the handler ran on its connection's loop")
        #expect(!inner.startedOwnLoop, "the client used the handler's loop, not one of its own")
        #expect(outer.startedOwnLoop, "a caller off every loop gets the client's own loop")
        #expect(upstream.count("req GET /from-handler") == 10)
    }
}
