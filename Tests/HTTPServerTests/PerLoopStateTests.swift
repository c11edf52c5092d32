import Synchronization
import Testing
import Transport

/// The per-loop table both clients keep their loop-bound state in: a state per loop, the own loop only for callers
/// off every loop, and each state closed once, on its loop while that loop runs.
@Suite(.timeLimit(.minutes(1)))
struct PerLoopStateTests {
    final class Probe: LoopBoundState {
        let loop: EventLoop
        let serial: Int
        init(loop: EventLoop, serial: Int) {
            self.loop = loop
            self.serial = serial
        }
    }

    /// What the table did: how many states it made, and per state (by serial) each close with where it ran.
    final class Record: Sendable {
        let made = Atomic<Int>(0)
        /// serial -> one entry per close: (said on its loop, was on its loop's thread).
        let closes = Mutex<[Int: [String]]>([:])

        func table() -> PerLoopState<Probe> {
            PerLoopState(ownLoopName: "per-loop-test") { [self] loop in
                Probe(loop: loop, serial: made.add(1, ordering: .relaxed).newValue)
            } close: { [self] probe, onItsLoop in
                let place = onItsLoop ? (probe.loop.isInEventLoop ? "on its loop" : "said on its loop but off it")
                                      : "after its loop exited"
                closes.withLock { $0[probe.serial, default: []].append(place) }
            }
        }

        var closeCount: Int { closes.withLock { $0.values.reduce(0) { $0 + $1.count } } }
    }

    struct Found: Sendable {
        let loop: EventLoop?
        let serial: Int?
    }

    static func lookUp(_ table: PerLoopState<Probe>) -> Found {
        let found = try? table.forCallingThread()
        return Found(loop: found?.loop, serial: found?.state.serial)
    }

    static func onLoop<T: Sendable>(_ loop: EventLoop, _ work: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            if !loop.execute({ continuation.resume(returning: work()) }) { continuation.resume(returning: nil) }
        }
    }

    static func waitUntil(seconds: Double = 20, _ condition: () -> Bool) async -> Bool {
        let deadline = MonotonicInstant.now().adding(seconds: seconds)
        while !condition() {
            if MonotonicInstant.now() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return true
    }

    @Test func eachLoopGetsOneStateAndOnlyCallersOffEveryLoopStartTheOwnLoop() async throws {
        let a = try EventLoop(name: "per-loop-a")
        let b = try EventLoop(name: "per-loop-b")
        try a.start()
        try b.start()
        let record = Record()
        let table = record.table()

        let fromA = await Self.onLoop(a) { Self.lookUp(table) }
        let fromAAgain = await Self.onLoop(a) { Self.lookUp(table) }
        let fromB = await Self.onLoop(b) { Self.lookUp(table) }
        #expect(fromA?.loop === a, "a caller on loop a runs on loop a")
        #expect(fromB?.loop === b, "a caller on loop b runs on loop b")
        #expect(fromA?.serial != nil && fromA?.serial == fromAAgain?.serial, "loop a keeps its state: \(String(describing: fromA?.serial)), then \(String(describing: fromAAgain?.serial))")
        #expect(fromA?.serial != fromB?.serial, "loops a and b have states of their own")
        #expect(record.made.load(ordering: .relaxed) == 2, "one state made per loop")
        #expect(!table.startedOwnLoop, "callers on loops never need the own loop")

        let offLoop = Self.lookUp(table)
        let offLoopAgain = Self.lookUp(table)
        #expect(table.startedOwnLoop, "a caller off every loop starts the own loop")
        #expect(offLoop.loop != nil && offLoop.loop !== a && offLoop.loop !== b, "off every loop, the own loop runs the call")
        #expect(offLoop.loop === offLoopAgain.loop && offLoop.serial == offLoopAgain.serial, "the own loop is started once and keeps its state")
        #expect(await Self.onLoop(offLoop.loop!) { EventLoop.current === offLoop.loop } == true, "the own loop runs")
        #expect(record.made.load(ordering: .relaxed) == 3)

        await table.close()
        a.stop()
        b.stop()
        await a.waitForExit()
        await b.waitForExit()
    }

    @Test func closeTearsEachStateDownOnceOnItsLoopAndLaterCallsGetNothing() async throws {
        let a = try EventLoop(name: "per-loop-a")
        try a.start()
        let record = Record()
        let table = record.table()
        let fromA = await Self.onLoop(a) { Self.lookUp(table) }
        let offLoop = Self.lookUp(table)
        guard let aSerial = fromA?.serial, let ownSerial = offLoop.serial, let own = offLoop.loop else {
            Issue.record("no state: on loop a \(String(describing: fromA)), off every loop \(offLoop)")
            return
        }

        await table.close()
        await table.close()
        #expect(record.closes.withLock { $0 } == [aSerial: ["on its loop"], ownSerial: ["on its loop"]])
        #expect(await Self.onLoop(a) { Self.lookUp(table) }?.serial == nil, "a closed table makes no new state")
        #expect(Self.lookUp(table).serial == nil)
        #expect(!own.execute {}, "close stops the own loop and waits for it to exit")
        #expect(record.made.load(ordering: .relaxed) == 2)
        a.stop()
        await a.waitForExit()
    }

    @Test func goingAwayTearsEachStateDownOnceOnItsLoopOrAfterItExited() async throws {
        let a = try EventLoop(name: "per-loop-a")
        let b = try EventLoop(name: "per-loop-b")
        try a.start()
        try b.start()
        let record = Record()
        weak var gone: PerLoopState<Probe>?
        var serials: [String: Int] = [:]
        do {
            let table = record.table()
            gone = table
            serials["a"] = await Self.onLoop(a) { Self.lookUp(table) }?.serial
            serials["b"] = await Self.onLoop(b) { Self.lookUp(table) }?.serial
            serials["own"] = Self.lookUp(table).serial
            // Loop b exits before the table goes away: its state is closed from the thread that lets the table go.
            b.stop()
            await b.waitForExit()
        }
        // The closures that ran on the loops may hold the table a moment longer.
        let released = await Self.waitUntil { gone == nil }
        #expect(released, "the table was still held")
        let closedAll = await Self.waitUntil { record.closeCount >= 3 }
        try await Task.sleep(nanoseconds: 50_000_000)
        let closes = record.closes.withLock { $0 }
        #expect(closedAll, "closes seen: \(closes)")
        guard let aSerial = serials["a"], let bSerial = serials["b"], let ownSerial = serials["own"] else {
            Issue.record("no state: \(serials)")
            return
        }
        #expect(closes == [aSerial: ["on its loop"], bSerial: ["after its loop exited"], ownSerial: ["on its loop"]])
        a.stop()
        await a.waitForExit()
    }
}
