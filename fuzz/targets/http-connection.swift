import HTTPServer
import Transport

// Target `http-connection`: the input is what a client sends on one connection, delivered to
// `HTTPConnectionStateMachine` in pieces of random size. The "application" answers each dispatched request either at
// once or only after more bytes have arrived (so pipelined bytes are buffered while a request is handled), and the
// client half-closes either before or after the last answer. Piece sizes and these choices come from a generator
// seeded by the input's hash, so a finding reproduces from the input alone.
//
// Oracle: the machine must dispatch exactly the requests the bare parser finds in the whole input, up to and
// including the first one that does not keep the connection alive, and, when it gets that far, reject with the
// parser's status and code. Plus: no dispatch or send while handling, `wantsRead` false while handling, no timer
// action before a deadline, and the run ends closed or lingering.

let limits = HTTPParserLimits()
let t0 = MonotonicInstant(nanoseconds: 1_000_000_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let expected = ExactBuffer(input).withBytes { ParserTranscript($0, delivery: .whole, limits: limits) }
    var random = SplitMix(state: Fuzz.hash(input) ^ 0x5EED)

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
                Fuzz.check(machine.state == .handling && !machine.wantsRead, "not handling after dispatch: \(machine.state)")
                Fuzz.check(request.remoteAddress == "peer", "remote address lost")
                dispatched.append(ParserTranscript.Request(request))
                awaitingResponse = true
            case .send(let response, let context):
                if response.status == 200 {
                    if context.close { closedByResponse = true }
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
        run(machine.responseReady(HTTPResponse(status: 200, body: [1, 2, 3]), now: now))
    }

    run(machine.start(now: now))
    var offset = 0
    while offset < size {
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
    if awaitingResponse && random.below(2) == 0 {
        run(machine.endOfInput(now: now))  // half-close while the last request is handled
        while awaitingResponse { respond() }
    } else {
        while awaitingResponse { respond() }
        run(machine.endOfInput(now: now))
    }
    while awaitingResponse { respond() }

    // What the bare parser says the connection should have produced.
    var expectedCount = expected.requests.count
    let firstClose = expected.heads.prefix(expected.requests.count).firstIndex { !$0.keepAlive }
    if let firstClose { expectedCount = firstClose + 1 }
    Fuzz.check(dispatched == Array(expected.requests.prefix(expectedCount)),
               "dispatched \(dispatched.count) requests, parser expects \(expectedCount): \(expected.summary)")
    if firstClose == nil, let parserRejection = expected.rejection {
        Fuzz.check(rejection?.status == parserRejection.status && rejection?.code == parserRejection.code,
                   "machine rejection \(String(describing: rejection)) vs parser \(parserRejection)")
    } else {
        Fuzz.check(rejection == nil, "machine rejected \(String(describing: rejection)); parser did not")
    }
    switch machine.state {
    case .closed, .lingering: break
    default: Fuzz.fail("connection left in \(machine.state) after end of input")
    }
    return 0
}
