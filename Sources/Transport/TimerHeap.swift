/// A binary min-heap of timer deadlines with lazy cancellation: cancelling removes the callback from `callbacks`,
/// and the stale heap entry is skipped when it surfaces. O(log n) schedule, O(1) cancel. Loop-confined.
struct TimerHeap {
    private struct Entry {
        var deadline: MonotonicInstant
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var callbacks: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    var isEmpty: Bool { callbacks.isEmpty }

    mutating func schedule(at deadline: MonotonicInstant, _ callback: @escaping () -> Void) -> TimerID {
        let id = nextID
        nextID &+= 1
        callbacks[id] = callback
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return TimerID(value: id)
    }

    mutating func cancel(_ timer: TimerID) {
        callbacks[timer.value] = nil
        // Stale entries would otherwise pile up when every request reschedules its connection's timer.
        if heap.count > 64 && heap.count > callbacks.count * 4 { compact() }
    }

    /// The earliest live deadline, discarding cancelled entries on the way.
    mutating func nextDeadline() -> MonotonicInstant? {
        while let top = heap.first {
            if callbacks[top.id] != nil { return top.deadline }
            popTop()
        }
        return nil
    }

    /// The deadline of the heap's first entry, which may be a cancelled timer's: nothing is due before it.
    var earliestEntryDeadline: MonotonicInstant? { heap.first?.deadline }

    /// Removes and returns the callbacks due at `now`, earliest first.
    mutating func popExpired(now: MonotonicInstant) -> [() -> Void] {
        var due: [() -> Void] = []
        while let top = heap.first, top.deadline <= now {
            popTop()
            if let callback = callbacks.removeValue(forKey: top.id) { due.append(callback) }
        }
        return due
    }

    mutating func removeAll() {
        heap.removeAll()
        callbacks.removeAll()
    }

    private mutating func compact() {
        heap.removeAll { callbacks[$0.id] == nil }
        // Floyd's heap construction, O(n).
        var i = heap.count / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[child].deadline >= heap[parent].deadline { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
