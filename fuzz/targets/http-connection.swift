import HTTPServer
import Transport

// Target `http-connection`: the input is what a client sends on one connection, delivered to
// `HTTPConnectionStateMachine` in pieces of random size. The "application" answers each dispatched request either at
// once or only after more bytes have arrived (so pipelined bytes are buffered while a request is handled), now and
// then with `Connection: close` or a dropped connection. Sometimes the server starts draining part-way. The run ends
// with the client half-closing before or after the last answer, or with the timer firing at its deadline. Piece sizes
// and these choices come from a generator seeded by the input's hash, so a finding reproduces from the input alone.
//
// Oracle: the machine dispatches the requests the bare parser finds in the whole input, in order: all of them up to
// the first that does not keep the connection alive, or a prefix of those when the application closed or the
// server drained. When it gets that far it rejects with the parser's status and code; a timer that fires in the
// middle of a request gives 408. Plus: no dispatch while handling, no read interest while handling, no timer action
// before a deadline, and the connection ends closed or lingering.

let limits = HTTPParserLimits()
let t0 = MonotonicInstant(nanoseconds: 1_000_000_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let expected = ExactBuffer(input).withBytes { ParserTranscript($0, delivery: .whole, limits: limits) }
    var random = SplitMix(state: Fuzz.hash(input) ^ 0x5EED)
    let drainAt: Int? = random.below(8) == 0 ? random.below(size + 1) : nil

    var machine = HTTPConnectionStateMachine(
        limits: limits, timeouts: HTTPConnectionTimeouts(),
        errorResponder: { rejection in
            HTTPResponse(status: rejection.status, headers: ["x-code": rejection.code], body: Array(rejection.detail.utf8))
        },
        remoteAddress: "peer", now: t0)
    var now = t0
    var dispatched: [ParserTranscript.Request] = []
    var rejection: (status: Int, code: String)?
    var awaitingResponse = false
    var closedByResponse = false
    var applicationClosed = false  // answered with `Connection: close` or a dropped connection
    var drained = false
    var finished = false  // .close or .shutdownWrite seen

    func run(_ first: [HTTPConnectionAction]) {
        var queue = first[...]
        while let action = queue.popFirst() {
            switch action {
            case .sendContinue:
                break
            case .dispatch(let request):
                Fuzz.check(!awaitingResponse, "dispatch while a request is being handled")
                Fuzz.check(rejection == nil && !closedByResponse && !finished, "dispatch after the end")
                Fuzz.check(machine.state == .handling && !machine.wantsRead && machine.deadline == nil,
                           "not handling after dispatch: \(machine.state)")
                Fuzz.check(request.remoteAddress == "peer", "remote address lost")
                dispatched.append(ParserTranscript.Request(request))
                awaitingResponse = true
            case .send(let response, let context):
                if response.status == 200 {
                    if context.close { closedByResponse = true }
                    if drained { Fuzz.check(context.close, "an answer while draining keeps the connection open") }
                } else {
                    Fuzz.check(rejection == nil, "two rejections")
                    Fuzz.check(context.close, "a rejection that keeps the connection open")
                    rejection = (response.status, response.headers["x-code"] ?? "")
                }
                queue.append(contentsOf: machine.writeCompleted(now: now))
            case .shutdownWrite, .close:
                finished = true
            }
        }
    }

    func respond() {
        guard awaitingResponse else { return }
        awaitingResponse = false
        let response: HTTPResponse
        switch random.below(16) {
        case 0:
            response = .abortConnection
            applicationClosed = true
        case 1:
            response = HTTPResponse(status: 200, headers: ["Connection": "keep-alive, Close"])
            applicationClosed = true
        default:
            response = HTTPResponse(status: 200, body: [1, 2, 3])
        }
        let actions = machine.responseReady(response, now: now)
        if response.abortsConnection {
            Fuzz.check(actions.count == 1 && machine.state == .closed, "a dropped connection did not close at once")
        }
        run(actions)
    }

    run(machine.start(now: now))
    var offset = 0
    while offset < size {
        if let drainAt, !drained, offset >= drainAt {
            drained = true
            run(machine.beginDraining(now: now))
        }
        if awaitingResponse && random.below(2) == 0 { respond() }
        let end = min(size, offset + 1 + random.below(random.below(4) == 0 ? 512 : 16))
        now = now.adding(seconds: 0.000_001)
        let actions = ExactBuffer(UnsafeRawBufferPointer(rebasing: input[offset..<end])).withBytes {
            machine.bytesReceived($0, now: now)
        }
        run(actions)
        offset = end
        Fuzz.check(machine.timerFired(now: now).isEmpty, "timer action before any deadline")
        if awaitingResponse && random.below(2) == 0 { respond() }
    }
    var timedOutMidRequest = false
    switch random.below(3) {
    case 0:
        run(machine.endOfInput(now: now))  // half-close while the last request is handled
        while awaitingResponse { respond() }
    case 1:
        while awaitingResponse { respond() }
        run(machine.endOfInput(now: now))
    default:
        while awaitingResponse { respond() }
        if let deadline = machine.deadline {
            switch machine.state {
            case .readingHead, .readingBody: timedOutMidRequest = true
            default: break
            }
            run(machine.timerFired(now: deadline))
        }
    }

    // What the bare parser says the connection should have produced.
    var expectedCount = expected.requests.count
    let firstClose = expected.heads.prefix(expected.requests.count).firstIndex { !$0.keepAlive }
    if let firstClose { expectedCount = firstClose + 1 }
    let cutShort = applicationClosed || drained
    Fuzz.check(dispatched == Array(expected.requests.prefix(dispatched.count)),
               "dispatched requests differ from the parser's: \(expected.summary)")
    Fuzz.check(cutShort ? dispatched.count <= expectedCount : dispatched.count == expectedCount,
               "dispatched \(dispatched.count) requests, parser expects \(expectedCount): \(expected.summary)")
    if let rejection {
        if let parserRejection = expected.rejection, firstClose == nil {
            Fuzz.check(rejection.status == parserRejection.status && rejection.code == parserRejection.code,
                       "machine rejection \(rejection) vs parser \(parserRejection)")
        } else {
            Fuzz.check(timedOutMidRequest && rejection.status == 408, "machine rejected \(rejection); parser did not")
        }
    } else {
        Fuzz.check(cutShort || firstClose != nil || expected.rejection == nil,
                   "parser rejects (\(String(describing: expected.rejection))), the machine did not")
        Fuzz.check(!timedOutMidRequest, "timer fired mid-request without a 408")
    }
    switch machine.state {
    case .closed, .lingering: break
    default: Fuzz.fail("connection left in \(machine.state) at the end")
    }
    return 0
}
