import Transport

/// One call on one loop: the bytes of its command (several for a pipeline), the replies it waits for, its deadline.
/// Loop-confined: created, queued, answered and timed out on the loop of its connection.
final class RedisRequest {
    let bytes: [UInt8]
    let replyCount: Int
    /// The connection's own `AUTH`/`SELECT` at connect time, answered to the connection instead of a caller.
    let isHandshake: Bool
    var replies: [RedisReply] = []
    /// When the caller stops waiting; the connection's one deadline timer looks at it.
    let deadline: MonotonicInstant
    let timeoutSeconds: Double
    /// Where its bytes start in the connection's output stream (bytes since the connection opened), once placed.
    var streamOffset = 0
    private var completion: ((Result<[RedisReply], RedisError>) -> Void)?

    init(bytes: [UInt8], replyCount: Int, isHandshake: Bool = false, timeoutSeconds: Double, now: MonotonicInstant,
         completion: ((Result<[RedisReply], RedisError>) -> Void)?) {
        self.bytes = bytes
        self.replyCount = replyCount
        self.isHandshake = isHandshake
        self.timeoutSeconds = timeoutSeconds
        deadline = now.adding(seconds: timeoutSeconds)
        self.completion = completion
        replies.reserveCapacity(replyCount)
    }

    var isFinished: Bool { completion == nil }

    /// Answers the caller once; later calls do nothing.
    func finish(_ result: Result<[RedisReply], RedisError>) {
        let done = completion
        completion = nil
        done?(result)
    }
}

/// A first-in first-out queue whose removals from the front cost O(1) (amortized).
struct RequestQueue {
    private var items: [RedisRequest] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }
    var first: RedisRequest? { isEmpty ? nil : items[head] }

    mutating func append(_ request: RedisRequest) { items.append(request) }


    mutating func removeFirst() -> RedisRequest? {
        guard !isEmpty else { return nil }
        let request = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return request
    }

    mutating func remove(_ request: RedisRequest) {
        guard let index = items[head...].firstIndex(where: { $0 === request }) else { return }
        items.remove(at: index)
    }

    /// The earliest deadline of a request still waiting for its answer.
    func earliestDeadline() -> MonotonicInstant? {
        var earliest: MonotonicInstant?
        for request in items[head...] where !request.isFinished && !request.isHandshake {
            if earliest.map({ request.deadline < $0 }) ?? true { earliest = request.deadline }
        }
        return earliest
    }

    /// Requests whose deadline is at or before `now`, in queue order.
    func expired(at now: MonotonicInstant) -> [RedisRequest] {
        items[head...].filter { !$0.isFinished && !$0.isHandshake && $0.deadline <= now }
    }

    /// Empties the queue, returning what it held in order.
    mutating func takeAll() -> [RedisRequest] {
        let taken = Array(items[head...])
        items.removeAll(keepingCapacity: true)
        head = 0
        return taken
    }

    /// Puts `requests` in front of what is queued, in their order.
    mutating func prepend(_ requests: [RedisRequest]) {
        guard !requests.isEmpty else { return }
        items = requests + items[head...]
        head = 0
    }
}
