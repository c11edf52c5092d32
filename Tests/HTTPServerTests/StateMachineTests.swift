import Testing
import Transport
@testable import HTTPServer

/// The connection state machine driven by a mock clock: instants are values, nothing sleeps.
struct StateMachineTests {
    static let t0 = MonotonicInstant(nanoseconds: 1_000_000_000_000)
    static func at(_ seconds: Double) -> MonotonicInstant { t0.adding(seconds: seconds) }

    static func machine(timeouts: HTTPConnectionTimeouts = HTTPConnectionTimeouts(header: 10, body: 30, idle: 60, linger: 2),
                        limits: HTTPParserLimits = HTTPParserLimits(),
                        rejection: HTTPRejection? = nil) -> HTTPConnectionStateMachine {
        HTTPConnectionStateMachine(limits: limits, timeouts: timeouts, errorResponder: TestErrorResponder.render,
                                   remoteAddress: "127.0.0.1:1", now: t0, rejection: rejection)
    }

    static let get = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n"

    /// Names the actions so expectations read as lists.
    static func names(_ actions: [HTTPConnectionAction]) -> [String] {
        actions.map { action in
            switch action {
            case .sendContinue: "continue"
            case .dispatch(let r): "dispatch \(r.path)"
            case .send(let response, let context): "send \(response.status)\(context.close ? " close" : "")"
            case .shutdownWrite: "shutdownWrite"
            case .close: "close"
            }
        }
    }

    @Test
    func requestResponseKeepAlive() {
        var m = Self.machine()
        #expect(m.wantsRead)
        #expect(m.deadline == Self.at(10))  // a fresh connection waits for its first byte no longer than for a header
        let actions = m.bytesReceived(Array(Self.get.utf8), now: Self.at(1))
        #expect(Self.names(actions) == ["dispatch /x"])
        guard case .dispatch(let request) = actions.first else { return }
        #expect(request.remoteAddress == "127.0.0.1:1")
        #expect(!m.wantsRead)
        #expect(m.deadline == nil)
        #expect(Self.names(m.responseReady(HTTPResponse(status: 200), now: Self.at(2))) == ["send 200"])
        #expect(Self.names(m.writeCompleted(now: Self.at(2))) == [])
        #expect(m.wantsRead)
        #expect(m.deadline == Self.at(62))
    }

    @Test
    func abortedConnectionWritesNothingAndCloses() {
        var m = Self.machine()
        _ = m.bytesReceived(Array(Self.get.utf8), now: Self.at(1))
        #expect(Self.names(m.responseReady(.abortConnection, now: Self.at(2))) == ["close"])
        #expect(!m.wantsRead)
    }

    @Test
    func headerTimeoutIsNotExtendedByTrickling() {
        var m = Self.machine()
        for (i, byte) in "GET /x HTTP/1.1\r\nHo".utf8.enumerated() {
            _ = m.bytesReceived([byte], now: Self.at(1 + Double(i) * 0.4))
            #expect(m.deadline == Self.at(11))
        }
        #expect(m.timerFired(now: Self.at(10.9)).isEmpty)
        #expect(Self.names(m.timerFired(now: Self.at(11))) == ["send 408 close"])
        #expect(!m.wantsRead)
        #expect(Self.names(m.writeCompleted(now: Self.at(11))) == ["shutdownWrite"])
        #expect(m.wantsRead)
        #expect(m.deadline == Self.at(13))
        #expect(Self.names(m.timerFired(now: Self.at(13))) == ["close"])
    }

    @Test
    func idleTimeoutClosesSilently() {
        var m = Self.machine()
        _ = m.bytesReceived(Array(Self.get.utf8), now: Self.at(0))
        _ = m.responseReady(HTTPResponse(status: 204), now: Self.at(1))
        _ = m.writeCompleted(now: Self.at(1))
        #expect(m.timerFired(now: Self.at(30)).isEmpty)
        #expect(Self.names(m.timerFired(now: Self.at(61))) == ["close"])
        #expect(m.state == .closed)
    }

    @Test
    func bodyTimeout() {
        var m = Self.machine()
        _ = m.bytesReceived(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc".utf8), now: Self.at(1))
        #expect(m.deadline == Self.at(31))
        _ = m.bytesReceived(Array("de".utf8), now: Self.at(20))
        #expect(m.deadline == Self.at(31))
        #expect(Self.names(m.timerFired(now: Self.at(31))) == ["send 408 close"])
    }

    @Test
    func pipelinedRequestsWaitForTheirTurn() {
        var m = Self.machine()
        let two = Self.get + "GET /y HTTP/1.1\r\nHost: h\r\n\r\nGET /z HTT"
        #expect(Self.names(m.bytesReceived(Array(two.utf8), now: Self.at(0))) == ["dispatch /x"])
        #expect(m.bufferedByteCount > 0)
        _ = m.responseReady(HTTPResponse(status: 200), now: Self.at(1))
        #expect(Self.names(m.writeCompleted(now: Self.at(1))) == ["dispatch /y"])
        _ = m.responseReady(HTTPResponse(status: 200), now: Self.at(2))
        #expect(m.writeCompleted(now: Self.at(2)).isEmpty)
        #expect(m.wantsRead)
        #expect(m.deadline == Self.at(12))  // the partial third request's header clock
        #expect(Self.names(m.bytesReceived(Array("P/1.1\r\nHost: h\r\n\r\n".utf8), now: Self.at(3))) == ["dispatch /z"])
    }

    @Test
    func expectContinue() {
        var m = Self.machine()
        let head = "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        #expect(Self.names(m.bytesReceived(Array(head.utf8), now: Self.at(0))) == ["continue"])
        #expect(Self.names(m.writeCompleted(now: Self.at(0))) == [])
        #expect(Self.names(m.bytesReceived(Array("hello".utf8), now: Self.at(1))) == ["dispatch /"])

        var eager = Self.machine()
        #expect(Self.names(eager.bytesReceived(Array((head + "hel").utf8), now: Self.at(0))) == [])

        var http10 = Self.machine()
        let old = "PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        #expect(Self.names(http10.bytesReceived(Array(old.utf8), now: Self.at(0))) == [])
    }

    @Test
    func expectContinueWithOversizedBodyGetsFinal413() {
        var m = Self.machine(limits: HTTPParserLimits(maxBodyBytes: 10))
        let head = "PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n"
        #expect(Self.names(m.bytesReceived(Array(head.utf8), now: Self.at(0))) == ["send 413 close"])
    }

    @Test
    func http10ClosesUnlessKeepAlive() {
        var m = Self.machine()
        _ = m.bytesReceived(Array("GET / HTTP/1.0\r\n\r\n".utf8), now: Self.at(0))
        let send = m.responseReady(HTTPResponse(status: 200), now: Self.at(0))
        #expect(Self.names(send) == ["send 200 close"])
        #expect(Self.names(m.writeCompleted(now: Self.at(0))) == ["shutdownWrite"])

        var k = Self.machine()
        _ = k.bytesReceived(Array("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8), now: Self.at(0))
        guard case .send(_, let context) = k.responseReady(HTTPResponse(status: 200), now: Self.at(0)).first else {
            Issue.record("expected send")
            return
        }
        #expect(context == HTTPResponseContext(isHEAD: false, close: false, confirmKeepAlive: true))
    }

    @Test
    func handlerConnectionCloseIsHonoured() {
        var m = Self.machine()
        _ = m.bytesReceived(Array(Self.get.utf8), now: Self.at(0))
        let response = HTTPResponse(status: 200, headers: ["Connection": "Close"])
        #expect(Self.names(m.responseReady(response, now: Self.at(0))) == ["send 200 close"])
    }

    @Test
    func rejectionClosesAndLingers() {
        var m = Self.machine()
        let bad = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        guard case .send(let response, let context) = m.bytesReceived(Array(bad.utf8), now: Self.at(0)).first else {
            Issue.record("expected send")
            return
        }
        #expect(response.status == 400)
        #expect(response.headers["content-type"] == "application/problem+json")
        #expect(context.close)
        #expect(Self.names(m.writeCompleted(now: Self.at(0))) == ["shutdownWrite"])
        // Lingering discards whatever still arrives, then closes on EOF.
        #expect(m.bytesReceived(Array("junk".utf8), now: Self.at(0.5)).isEmpty)
        #expect(Self.names(m.endOfInput(now: Self.at(1))) == ["close"])
    }

    @Test
    func endOfInputWhileHandlingStillAnswers() {
        var m = Self.machine()
        _ = m.bytesReceived(Array(Self.get.utf8), now: Self.at(0))
        #expect(m.endOfInput(now: Self.at(0)).isEmpty)
        #expect(Self.names(m.responseReady(HTTPResponse(status: 200), now: Self.at(1))) == ["send 200 close"])
        #expect(Self.names(m.writeCompleted(now: Self.at(1))) == ["close"])
    }

    @Test
    func halfClosedPipelineIsAnsweredThenClosed() {
        var m = Self.machine()
        _ = m.bytesReceived(Array((Self.get + "GET /y HTTP/1.1\r\nHost: h\r\n\r\n").utf8), now: Self.at(0))
        _ = m.endOfInput(now: Self.at(0))
        #expect(Self.names(m.responseReady(HTTPResponse(status: 200), now: Self.at(0))) == ["send 200"])
        #expect(Self.names(m.writeCompleted(now: Self.at(0))) == ["dispatch /y"])
        #expect(Self.names(m.responseReady(HTTPResponse(status: 200), now: Self.at(0))) == ["send 200 close"])
        #expect(Self.names(m.writeCompleted(now: Self.at(0))) == ["close"])
    }

    @Test
    func endOfInputMidRequestCloses() {
        var m = Self.machine()
        _ = m.bytesReceived(Array("GET / HT".utf8), now: Self.at(0))
        #expect(Self.names(m.endOfInput(now: Self.at(0))) == ["close"])
    }

    @Test
    func overCapacityRejectsAtStart() {
        var m = Self.machine(rejection: .tooManyConnections())
        #expect(Self.names(m.start(now: Self.at(0))) == ["send 503 close"])
    }

    @Test
    func drainingClosesIdleAndMarksBusy() {
        var idle = Self.machine()
        #expect(Self.names(idle.beginDraining(now: Self.at(0))) == ["close"])

        var busy = Self.machine()
        _ = busy.bytesReceived(Array(Self.get.utf8), now: Self.at(0))
        #expect(busy.beginDraining(now: Self.at(0)).isEmpty)
        #expect(Self.names(busy.responseReady(HTTPResponse(status: 200), now: Self.at(1))) == ["send 200 close"])
    }

    @Test
    func writeStallClosesAfterIdleTimeout() {
        var m = Self.machine()
        _ = m.bytesReceived(Array(Self.get.utf8), now: Self.at(0))
        _ = m.responseReady(HTTPResponse(status: 200), now: Self.at(1))
        #expect(m.deadline == Self.at(61))
        #expect(Self.names(m.timerFired(now: Self.at(61))) == ["close"])
    }

    @Test
    func headRequestContext() {
        var m = Self.machine()
        _ = m.bytesReceived(Array("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: Self.at(0))
        guard case .send(_, let context) = m.responseReady(HTTPResponse(status: 200), now: Self.at(0)).first else {
            Issue.record("expected send")
            return
        }
        #expect(context.isHEAD)
    }
}
