import GatewayCrypto
import Transport
import Synchronization

/// The `Idempotency-Key` records of one process (no `redis` configured), behind one lock.
///
/// Bounded in entries and bytes: when a new answer would pass a bound, expired records go first, then the oldest
/// answers (the first to expire anyway), counted in `evictions`; a replay of an evicted key runs the request again,
/// so the bounds are set far above what Kore.ai's budget lets through in a TTL (60 calls a minute per account).
/// Records in progress are never evicted; when they alone fill the store, a claim answers `.unavailable`.
public final class InProcessIdempotencyStore: IdempotencyStore {
    public struct Limits: Sendable {
        public var maxEntries: Int
        public var maxBytes: Int

        public init(maxEntries: Int = 100_000, maxBytes: Int = 64 << 20) {
            self.maxEntries = max(1, maxEntries)
            self.maxBytes = max(1, maxBytes)
        }
    }

    private enum Record {
        case inProgress(fingerprint: [UInt8], token: String, until: Double)
        case done(fingerprint: [UInt8], answer: StoredAnswer, until: Double, sequence: Int)

        var until: Double {
            switch self {
            case .inProgress(_, _, let until), .done(_, _, let until, _): return until
            }
        }
    }

    private struct State {
        var records: [String: Record] = [:]
        /// Completed records in the order they were stored: (key, sequence); stale pairs are skipped.
        var order: [(key: String, sequence: Int)] = []
        var head = 0
        var nextSequence = 0
        var bytes = 0
        var evictions = 0
    }

    private let limits: Limits
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())

    public init(limits: Limits = Limits(), clock: @escaping @Sendable () -> Double = { MonotonicInstant.now().seconds }) {
        self.limits = limits
        self.clock = clock
    }

    /// Answers evicted before their TTL because a bound was reached.
    public var evictions: Int { state.withLock { $0.evictions } }
    /// Records kept (in progress and stored).
    public var count: Int { state.withLock { $0.records.count } }
    /// What the stored answers cost, roughly, in bytes.
    public var byteCount: Int { state.withLock { $0.bytes } }

    public func claim(key: String, fingerprint: [UInt8], leaseSeconds: Double) async -> IdempotencyClaim {
        let now = clock()
        let token = SecureRandom.hexString(byteCount: 16)
        return state.withLock { state in
            if let found = Self.current(key, state: &state, now: now) {
                return Self.answer(found, fingerprint: fingerprint)
            }
            if state.records.count >= limits.maxEntries {
                Self.makeRoom(&state, limits: limits, now: now, adding: 0, entries: 1)
                if state.records.count >= limits.maxEntries { return .unavailable }
            }
            state.records[key] = .inProgress(fingerprint: fingerprint, token: token, until: now + max(1, leaseSeconds))
            return .claimed(token: token)
        }
    }

    public func complete(key: String, token: String, answer: StoredAnswer, ttlSeconds: Int) async {
        let now = clock()
        state.withLock { state in
            guard case .inProgress(let fingerprint, let holder, let until)? = state.records[key], holder == token else { return }
            guard until > now else {
                // The lease ran out: the key is free; keeping the stale claim would only hold a slot of the bound.
                state.records[key] = nil
                return
            }
            let size = answer.byteCount
            guard size <= limits.maxBytes else {
                // Larger than the whole store: not kept (a retry runs again), rather than evicting everything.
                state.records[key] = nil
                state.evictions += 1
                return
            }
            state.records[key] = nil
            Self.makeRoom(&state, limits: limits, now: now, adding: size, entries: 1)
            let sequence = state.nextSequence
            state.nextSequence += 1
            state.records[key] = .done(fingerprint: fingerprint, answer: answer, until: now + Double(max(1, ttlSeconds)), sequence: sequence)
            state.order.append((key, sequence))
            state.bytes += size
        }
    }

    public func release(key: String, token: String) async {
        state.withLock { state in
            if case .inProgress(_, let holder, _)? = state.records[key], holder == token { state.records[key] = nil }
        }
    }

    public func peek(key: String, fingerprint: [UInt8]) async -> IdempotencyClaim {
        let now = clock()
        return state.withLock { state in
            guard let found = Self.current(key, state: &state, now: now) else { return .claimed(token: "") }
            return Self.answer(found, fingerprint: fingerprint)
        }
    }

    /// The key's record unless it expired (an expired one is dropped).
    private static func current(_ key: String, state: inout State, now: Double) -> Record? {
        guard let record = state.records[key] else { return nil }
        guard record.until > now else {
            remove(key, state: &state)
            return nil
        }
        return record
    }

    private static func answer(_ record: Record, fingerprint: [UInt8]) -> IdempotencyClaim {
        switch record {
        case .inProgress(let held, _, _):
            // A write takes a second or so; the caller asks again then rather than wait out the whole lease.
            return held == fingerprint ? .inProgress(retryAfterSeconds: 1) : .otherRequest
        case .done(let held, let answer, _, _):
            return held == fingerprint ? .stored(answer) : .otherRequest
        }
    }

    private static func remove(_ key: String, state: inout State) {
        if case .done(_, let answer, _, _)? = state.records[key] { state.bytes -= answer.byteCount }
        state.records[key] = nil
    }

    /// Drops expired answers, then the oldest ones, until `adding` more bytes and `entries` more records fit.
    private static func makeRoom(_ state: inout State, limits: Limits, now: Double, adding: Int, entries: Int) {
        while state.head < state.order.count,
              state.bytes + adding > limits.maxBytes || state.records.count + entries > limits.maxEntries
                || isExpired(state.order[state.head], state: state, now: now) {
            let (key, sequence) = state.order[state.head]
            state.head += 1
            guard case .done(_, _, let until, let stored)? = state.records[key], stored == sequence else { continue }
            if until > now { state.evictions += 1 }
            remove(key, state: &state)
        }
        if state.head > 1024 && state.head * 2 >= state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
    }

    private static func isExpired(_ entry: (key: String, sequence: Int), state: State, now: Double) -> Bool {
        guard case .done(_, _, let until, let sequence)? = state.records[entry.key], sequence == entry.sequence else { return true }
        return until <= now
    }
}
