/// The faults waiting to be applied, consumed one step per campaign API call.
///
/// Latency and the answer-replacing faults are two separate queues, so a test can make calls both slow and failing
/// (`latency` until cleared, plus one `status(503)`). Within a queue the earliest injected fault applies first, and a
/// fault with a count is used up after that many calls.
struct FaultSchedule: Sendable {
    private struct Entry: Sendable {
        var fault: SimulatedFault
        /// Calls left; nil = until cleared.
        var remaining: Int?
    }

    private var delays: [Entry] = []
    private var outcomes: [Entry] = []

    /// Queues `fault` for the next `count` calls (nil = until cleared). A count below 1 queues nothing.
    mutating func add(_ fault: SimulatedFault, count: Int?) {
        if let count, count < 1 { return }
        let entry = Entry(fault: fault, remaining: count)
        if fault.isLatency { delays.append(entry) } else { outcomes.append(entry) }
    }

    /// Forgets every queued fault.
    mutating func clear() {
        delays.removeAll()
        outcomes.removeAll()
    }

    /// True when nothing is queued.
    var isEmpty: Bool { delays.isEmpty && outcomes.isEmpty }

    /// What applies to the call arriving now: a delay in milliseconds (0 = none) and the fault replacing the answer.
    mutating func next() -> (delayMilliseconds: Int, replacement: SimulatedFault?) {
        var delay = 0
        if let fault = Self.consume(&delays), case .latency(let milliseconds) = fault {
            delay = max(0, milliseconds)
        }
        return (delay, Self.consume(&outcomes))
    }

    /// A description of the queue for the control API.
    var pending: [(fault: SimulatedFault, remaining: Int?)] {
        (delays + outcomes).map { ($0.fault, $0.remaining) }
    }

    private static func consume(_ queue: inout [Entry]) -> SimulatedFault? {
        guard let first = queue.first else { return nil }
        if let remaining = first.remaining {
            if remaining <= 1 { queue.removeFirst() } else { queue[0].remaining = remaining - 1 }
        }
        return first.fault
    }
}
