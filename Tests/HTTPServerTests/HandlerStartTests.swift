import Foundation
import Synchronization
import HTTPServer
import TestSupport
import Testing

/// `HTTPHandler.start`: on the loop, an answer the handler has at once is sent without a task, work it hands back
/// runs as the request's task, and nil falls back to `handle`; pipelined, all three stay in order. Off the loop (the
/// global pool) the server never calls `start`.
@Suite(.timeLimit(.minutes(1)))
struct HandlerStartTests {
    /// `/now` answered by `start`, `/later` handed back as a task that suspends, everything else left to `handle`.
    struct StartingHandler: HTTPHandler {
        func start(_ request: HTTPRequest) -> HTTPHandlerStart? {
            switch request.path {
            case "/now":
                return .answered(HTTPResponse(status: 200, body: Array("start \(request.target)".utf8)))
            case "/later":
                return .pending {
                    try? await Task.sleep(nanoseconds: 50_000_000)
                    return HTTPResponse(status: 200, body: Array("task \(request.target)".utf8))
                }
            default:
                return nil
            }
        }

        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            HTTPResponse(status: 200, body: Array("handle \(request.target)".utf8))
        }
    }

    static func bodies(onLoop: Bool) async throws -> [String] {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.runsHandlersOnEventLoop = onLoop
        configuration.eventLoopCount = 1
        let server = HTTPServer(configuration: configuration, handler: StartingHandler(), errorResponder: TestErrorResponder.render)
        let port = try server.start()
        let result = Mutex<[String]>([])
        do {
            try await OffPool.run {
                // Off the loop the answers come from Swift's global pool, which the rest of a parallel run can keep
                // busy for seconds on two cores: a long receive timeout, well inside the suite's minute.
                let client = try RawHTTPClient(port: port, receiveTimeoutSeconds: 30)
                let targets = ["/now?1", "/later?2", "/other?3", "/now?4", "/later?5", "/now?6"]
                try client.send(targets.map { "GET \($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
                for _ in targets {
                    let text = try client.readResponse().bodyText
                    result.withLock { $0.append(text) }
                }
            }
        } catch {
            await server.shutdown(graceSeconds: 0)
            throw error
        }
        await server.shutdown(graceSeconds: 1)
        return result.withLock { $0 }
    }

    @Test
    func onTheLoopStartAnswersAtOnceHandsBackATaskOrFallsBackToHandleInOrder() async throws {
        #expect(try await Self.bodies(onLoop: true)
            == ["start /now?1", "task /later?2", "handle /other?3", "start /now?4", "task /later?5", "start /now?6"])
    }

    @Test
    func offTheLoopEveryRequestGoesToHandle() async throws {
        #expect(try await Self.bodies(onLoop: false)
            == ["handle /now?1", "handle /later?2", "handle /other?3", "handle /now?4", "handle /later?5", "handle /now?6"])
    }
}
