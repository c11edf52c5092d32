/// The campaign API calls received, in arrival order, with their answers' statuses filled in when they are known.
///
/// Keeps the most recent `capacity` calls (a demo or `kore-sim` can run for days); `totalCount` counts every call.
struct CallLog: Sendable {
    /// Calls kept; older ones are forgotten first.
    static let capacity = 10_000

    private var entries: [SimulatedCall] = []
    /// The sequence number of `entries[0]`.
    private var firstSequence = 0
    private(set) var totalCount = 0

    /// Appends a call still waiting for its answer and returns its sequence number, for `complete`.
    mutating func begin(_ call: SimulatedCall) -> Int {
        let sequence = totalCount
        totalCount += 1
        entries.append(call)
        if entries.count > Self.capacity {
            // Drop a chunk at once so trimming stays amortized O(1) per call.
            let excess = entries.count - Self.capacity + Self.capacity / 10
            entries.removeFirst(excess)
            firstSequence += excess
        }
        return sequence
    }

    /// Sets the answer's status of call `sequence`, if it is still kept.
    mutating func complete(_ sequence: Int, status: Int) {
        let index = sequence - firstSequence
        guard index >= 0, index < entries.count else { return }
        entries[index].responseStatus = status
    }

    /// The calls kept, oldest first.
    var calls: [SimulatedCall] { entries }

    /// Forgets every call and restarts the count.
    mutating func clear() {
        entries.removeAll()
        firstSequence = 0
        totalCount = 0
    }
}
