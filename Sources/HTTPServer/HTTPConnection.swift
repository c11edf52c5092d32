import Synchronization
import Transport

/// Executes a connection's state machine against a real socket: reads, writes, epoll interest, one timer, and the
/// bridge to the async handler.
///
/// `@unchecked Sendable`: every mutable field is touched on its loop's thread only (the entry points assert it). The handler runs in a Task,
/// and its result comes back through `loop.execute`, so the class must be Sendable to be captured there.
final class HTTPConnection: EventHandler, @unchecked Sendable {
    private let fd: Int32
    /// Strong on purpose: the context's `connections` table forms a cycle that `close()` breaks, so a server
    /// dropped without `shutdown` leaks rather than leaving connections with a dangling reference.
    private let context: LoopContext
    private var machine: HTTPConnectionStateMachine
    private var registration: Registration?
    /// Bytes waiting for the socket, in order: usually one response's head and body, sent with one gathering write.
    private var outbound: [OutboundBytes] = []
    /// Where response heads are encoded, kept between answers.
    private var headBuffer: [UInt8] = []
    /// How much of `outbound[0]` is already sent.
    private var outboundOffset = 0
    private var timer: TimerID?
    /// When `timer` fires: never later than the machine's deadline, possibly earlier (see `synchronize`).
    private var timerDeadline: MonotonicInstant?
    private var isClosed = false
    /// A dispatched request counted in `inFlightRequests` until its response is written (or the connection dies).
    private var requestInFlight = false
    private var responseQueued = false
    /// True while `dispatch` starts a handler that runs at once on this thread: an answer ready before it suspends
    /// arrives while the connection is still executing the machine's actions, so it is held here and delivered
    /// when they are done (`deliverHeld`), never by re-entering the machine from inside `perform`.
    private var startingHandler = false
    private var heldResponse: HTTPResponse?

    init(fd: Int32, context: LoopContext, remoteAddress: String, rejection: HTTPRejection?) {
        self.fd = fd
        self.context = context
        let shared = context.shared
        machine = HTTPConnectionStateMachine(limits: shared.limits, timeouts: shared.timeouts,
                                             errorResponder: shared.errorResponder, remoteAddress: remoteAddress,
                                             now: .now(), rejection: rejection)
    }

    func start() {
        context.loop.assertInEventLoop()
        do {
            registration = try context.loop.register(fd: fd, interest: .readable, handler: self)
        } catch {
            TransportLog.error("register connection: \(error)")
            close()
            return
        }
        perform(machine.startActions(now: .now()))
        deliverHeld()
        synchronize()
    }

    func beginDraining() {
        context.loop.assertInEventLoop()
        guard !isClosed else { return }
        // A request may already sit unread in the socket (sent before the drain, its readiness event not handled
        // yet): read it first, so it is answered instead of reset by closing a connection that only looked idle.
        if machine.wantsRead { readOnce() }
        guard !isClosed else { return }
        // A request read just now and answered at once is held until the machine knows of the drain, so its
        // answer says `Connection: close`, as one from a handler still running does.
        perform(machine.beginDrainingActions(now: .now()))
        deliverHeld()
        synchronize()
    }

    // MARK: Events

    func handleEvents(_ events: IOEvents) {
        context.loop.assertInEventLoop()
        guard !isClosed else { return }
        if events.contains(.error) {
            close()
            return
        }
        if events.contains(.writable) { flush() }
        if !isClosed && (events.contains(.readable) || events.contains(.hangup)) {
            if machine.wantsRead {
                readOnce()
            } else if events.contains(.hangup) {
                // Both directions are gone: nothing can be written back.
                close()
            } else {
                // Level-triggered readiness while we do not want bytes would spin; drop read interest lazily,
                // only when it actually fires (in the common request/response rhythm it never does).
                if var registration, registration.interest.contains(.readable) {
                    try? context.loop.setInterest(&registration, registration.interest.subtracting(.readable))
                    self.registration = registration
                }
            }
        }
        deliverHeld()
        synchronize()
    }

    private func readOnce() {
        let result: IOResult
        do {
            result = try Syscall.read(fd, into: context.readBuffer)
        } catch {
            close()
            return
        }
        switch result {
        case .processed(let count):
            let bytes = UnsafeRawBufferPointer(rebasing: context.readBuffer[0..<count])
            perform(machine.bytesReceivedActions(bytes, now: .now()))
        case .endOfFile:
            perform(machine.endOfInputActions(now: .now()))
        case .wouldBlock:
            break
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard !isClosed else { return }
        perform(machine.timerFiredActions(now: .now()))
        deliverHeld()
        synchronize()
    }

    // MARK: Actions

    private func perform(_ actions: HTTPConnectionActions) {
        for index in 0..<actions.count {
            if isClosed { return }
            switch actions[index] {
            case .sendContinue:
                enqueue(OutboundBytes(HTTPResponseEncoder.continueResponse))
            case .dispatch:
                if let request = machine.takeDispatchedRequest() { dispatch(request) }
            case .send:
                guard let (response, responseContext) = machine.takeResponseToSend() else { continue }
                responseQueued = true
                // The head goes into the buffer every answer of this connection reuses: once the kernel took it,
                // `outbound` lets go of it and the next head is written over the same storage. The buffer keeps its
                // length (only its first `count` bytes are sent), so it is neither emptied nor trimmed per answer.
                let (sendsBody, count) = HTTPResponseEncoder.encodeHead(response, context: responseContext,
                                                                        date: context.dateCache.current(),
                                                                        overwriting: &headBuffer)
                enqueue(OutboundBytes(headBuffer, count: count), then: sendsBody ? response.body : [])
            case .shutdownWrite:
                Syscall.shutdownWrite(fd)
            case .close:
                close()
            case nil:
                break
            }
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        requestInFlight = true
        context.shared.counters.inFlightRequests.add(1, ordering: .relaxed)
        let handler = context.shared.handler
        let loop = context.loop
        // Back to the loop thread with the answer; if the loop has stopped, the connection is gone and so is the
        // answer.
        if let executor = context.taskExecutor {
            // The handler starts now, on this thread: an answer it has without waiting (health, a dry run, a
            // refusal) is held until the current actions are done, and no task is made for it.
            let pending: HTTPHandlerStart.Rest
            switch handler.start(request) {
            case .answered(let response):
                heldResponse = response
                return
            case .pending(let operation):
                pending = operation
            case nil:
                pending = { await handler.handle(request) }
            }
            // The task starts now too, and runs until it first suspends (a call upstream): an answer ready by then
            // is never queued as a job for the loop to run later. It comes back through `deliver` while
            // `startingHandler` is set and is held until the current actions are done.
            startingHandler = true
            Task.immediate(executorPreference: executor) {
                let response = await pending()
                // The task ends on the loop itself (at once, or as a job the loop runs after a suspension), so the
                // answer goes out without one more queued closure.
                if loop.isInEventLoop {
                    self.deliver(response)
                } else {
                    loop.execute { self.deliver(response) }
                }
            }
            startingHandler = false
        } else {
            Task {
                let response = await handler.handle(request)
                loop.execute { self.deliver(response) }
            }
        }
    }

    /// `response` is consumed, as every step after it: the answer is moved from the handler to the machine to the
    /// encoder, never copied (each copy of an `HTTPResponse` retained and released its fields and body).
    private func deliver(_ response: consuming HTTPResponse) {
        context.loop.assertInEventLoop()
        guard !isClosed else { return }
        if startingHandler {
            heldResponse = consume response
            return
        }
        perform(machine.responseReadyActions(response, now: .now()))
        deliverHeld()
        synchronize()
    }

    /// Answers held while their handler was being started, one after another (pipelined requests answered without
    /// waiting make a loop here, not a recursion through `perform`). Called where a dispatch may have happened,
    /// before `synchronize`.
    private func deliverHeld() {
        while let response = takeHeldResponse() {
            guard !isClosed else { return }
            perform(machine.responseReadyActions(response, now: .now()))
        }
    }

    /// The held answer swapped out, not copied and then cleared.
    private func takeHeldResponse() -> HTTPResponse? {
        var taken: HTTPResponse?
        swap(&taken, &heldResponse)
        return taken
    }

    private func enqueue(_ bytes: OutboundBytes, then more: [UInt8] = []) {
        if bytes.count > 0 { outbound.append(bytes) }
        if !more.isEmpty { outbound.append(OutboundBytes(more)) }
        flush()
    }

    private var hasOutbound: Bool { !outbound.isEmpty }

    /// Writes what the kernel takes; when everything is out, tells the machine (which may queue or close more).
    private func flush() {
        while !outbound.isEmpty {
            let attempt: Result<IOResult, SocketError> = outbound[0].withUnsent(from: outboundOffset) { head in
                guard outbound.count > 1 else { return Result { () throws(SocketError) in try Syscall.send(fd, head) } }
                return outbound[1].withUnsent(from: 0) { second in
                    Result { () throws(SocketError) in try Syscall.send(fd, head, second) }
                }
            }
            guard case .success(let result) = attempt else {
                close()
                return
            }
            switch result {
            case .processed(var count):
                // Drop the buffers the kernel took whole; remember how far into the next one it got.
                while count > 0, !outbound.isEmpty {
                    let left = outbound[0].count - outboundOffset
                    if count >= left {
                        count -= left
                        outbound.removeFirst()
                        outboundOffset = 0
                    } else {
                        outboundOffset += count
                        count = 0
                    }
                }
            case .wouldBlock, .endOfFile: return
            }
        }
        outboundOffset = 0
        if responseQueued {
            responseQueued = false
            finishInFlight()
        }
        perform(machine.writeCompletedActions(now: .now()))
    }

    private func finishInFlight() {
        if requestInFlight {
            requestInFlight = false
            context.shared.counters.inFlightRequests.subtract(1, ordering: .relaxed)
        }
    }

    /// Applies the machine's wishes to epoll interest and the timer. EPOLLOUT only while a write is pending.
    private func synchronize() {
        guard !isClosed, var registration else { return }
        var interest = registration.interest
        if machine.wantsRead { interest.insert(.readable) }
        if hasOutbound { interest.insert(.writable) } else { interest.remove(.writable) }
        if interest != registration.interest {
            do {
                try context.loop.setInterest(&registration, interest)
                self.registration = registration
            } catch {
                close()
                return
            }
        }
        // The timer is moved only when the machine's deadline comes before the armed one. A later or absent
        // deadline leaves it armed: when it fires early the machine does nothing (it never acts before its own
        // deadline) and the timer is armed again for what the machine wants then. Every request moves the deadline
        // (header, handling, writing, idle), and cancelling and scheduling a timer each time cost more than the one
        // early wake-up per timeout this allows.
        if let deadline = machine.deadline, timerDeadline.map({ deadline < $0 }) ?? true {
            if let timer { context.loop.cancelTimer(timer) }
            timerDeadline = deadline
            timer = context.loop.scheduleTimer(at: deadline) { [weak self] in self?.timerFired() }
        }
    }

    /// EPOLL_CTL_DEL, then close(2). Idempotent.
    func close() {
        context.loop.assertInEventLoop()
        guard !isClosed else { return }
        isClosed = true
        machine.closed()
        if let timer { context.loop.cancelTimer(timer) }
        timer = nil
        if let registration { context.loop.deregister(registration) }
        registration = nil
        Syscall.close(fd)
        outbound = []
        heldResponse = nil
        finishInFlight()
        context.shared.counters.openConnections.subtract(1, ordering: .relaxed)
        context.forget(self)
    }
}

/// Bytes waiting for the socket: the first `count` of `bytes` (a reused head buffer is longer than the head in it).
private struct OutboundBytes {
    let bytes: [UInt8]
    let count: Int

    init(_ bytes: [UInt8], count: Int? = nil) {
        self.bytes = bytes
        self.count = min(max(count ?? bytes.count, 0), bytes.count)
    }

    /// `body` on the bytes from `offset` to `count`.
    func withUnsent<R>(from offset: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[min(offset, count)..<count])) }
    }
}
