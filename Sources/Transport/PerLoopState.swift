import Synchronization

/// State confined to one event loop, which it names.
public protocol LoopBoundState: AnyObject, Sendable {
    /// The loop the state belongs to; `make` gets it.
    var loop: EventLoop { get }
}

/// One `State` per event loop, for a client whose work runs on the calling thread's loop when there is one (a
/// server handler on its connection's loop costs no thread hop) and, from off every loop, on a loop it starts for
/// itself on first need. Each loop's state is made once, by `make`, the first time that loop asks; `close` tears
/// each state down once: at `close()`, or when this table goes away. Knows nothing of what the state is.
public final class PerLoopState<State: LoopBoundState>: Sendable {
    /// Keyed by the loop's identity; nil once closed, so that no loop makes a new state afterwards. Each state holds
    /// its loop strongly, so that the identifier cannot be reused by another loop while the state is here.
    @usableFromInline let states = Mutex<[ObjectIdentifier: State]?>([:])
    @usableFromInline let ownLoop = Mutex<EventLoop?>(nil)
    @usableFromInline let ownLoopName: String
    @usableFromInline let make: @Sendable (EventLoop) -> State
    /// Called with `true` on the state's loop when that loop still runs, else with `false` on the closing thread.
    let closeState: @Sendable (State, _ onItsLoop: Bool) -> Void

    /// `ownLoopName` names the thread of the loop started for callers off every loop.
    public init(ownLoopName: String, make: @escaping @Sendable (EventLoop) -> State,
                close: @escaping @Sendable (State, _ onItsLoop: Bool) -> Void) {
        self.ownLoopName = ownLoopName
        self.make = make
        self.closeState = close
    }

    /// Whether a call ever came from off every event loop, so that a loop of its own was started.
    public var startedOwnLoop: Bool { ownLoop.withLock { $0 != nil } }

    /// The calling thread's loop (the own loop, started now if need be, off every loop) and that loop's state, made
    /// now if it has none; nil once closed. Throws when the own loop cannot start.
    @inlinable
    public func forCallingThread() throws(SocketError) -> (loop: EventLoop, state: State)? {
        let loop: EventLoop
        if let current = EventLoop.current {
            loop = current
        } else {
            loop = try ownLoopStartedIfNeeded()
        }
        guard let state = state(for: loop) else { return nil }
        return (loop, state)
    }

    @inlinable
    func state(for loop: EventLoop) -> State? {
        states.withLock { table in
            if let state = table?[ObjectIdentifier(loop)] { return state }
            guard table != nil else { return nil }
            let state = make(loop)
            table?[ObjectIdentifier(loop)] = state
            return state
        }
    }

    @usableFromInline
    func ownLoopStartedIfNeeded() throws(SocketError) -> EventLoop {
        try ownLoop.withLock { (own: inout EventLoop?) throws(SocketError) -> EventLoop in
            if let own { return own }
            let loop = try EventLoop(name: ownLoopName)
            try loop.start()
            own = loop
            return loop
        }
    }

    /// Closes every state, each on its loop when that loop still runs, and stops the own loop; later calls get nil.
    public func close() async {
        let all = states.withLock { table -> [State] in
            let all = Array((table ?? [:]).values)
            table = nil
            return all
        }
        for state in all {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let queued = state.loop.execute { [closeState] in
                    closeState(state, true)
                    continuation.resume()
                }
                if !queued {
                    closeState(state, false)
                    continuation.resume()
                }
            }
        }
        let own = ownLoop.withLock { $0 }
        if let own {
            own.stop()
            await own.waitForExit()
        }
    }

    deinit {
        let all = states.withLock { Array(($0 ?? [:]).values) }
        for state in all where !state.loop.execute({ [closeState] in closeState(state, true) }) {
            closeState(state, false)
        }
        ownLoop.withLock { $0?.stop() }
    }
}
