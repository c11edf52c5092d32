import GatewayCrypto
import JSONCore
import RedisClient

/// The `Idempotency-Key` records every replica shares: each step is one run of `RedisIdempotencyScript` (by
/// `EVALSHA`), so any replica replays what another stored, and of concurrent claims on different replicas exactly
/// one runs. When Redis cannot be used (the link's breaker is open, or the call fails) a claim answers
/// `.unavailable` and the write is refused with a retryable 503: there is no fallback, since a record kept in one
/// process could not stop another replica from running the same write.
///
/// Bounded: a record lives for the lease or the TTL (Redis's `PX`), and an answer larger than `maxAnswerBytes` is
/// not stored (the key is freed as after a refusal, so a retry runs again, as the in-process store does with an
/// answer larger than its whole budget). Redis itself must run under `noeviction` (`SharedStateLink.checkEviction`).
public final class RedisIdempotencyStore: IdempotencyStore {
    public let link: SharedStateLink
    public let maxAnswerBytes: Int

    static let script = RedisScript(RedisIdempotencyScript.source)

    /// The gateway's answers are normalized campaigns and problems, a few KiB; 1 MiB leaves room for a large list.
    public init(link: SharedStateLink, maxAnswerBytes: Int = 1 << 20) {
        self.link = link
        self.maxAnswerBytes = max(1024, maxAnswerBytes)
    }

    public func claim(key: String, fingerprint: [UInt8], leaseSeconds: Double) async -> IdempotencyClaim {
        let token = SecureRandom.hexString(byteCount: 16)
        let recordKey = RedisIdempotencyScript.key(prefix: link.keyPrefix, storeKey: key)
        let answer = await link.perform { client, timeout throws(RedisError) -> IdempotencyClaim in
            let reply = try await client.evalScript(
                Self.script, keys: [RedisArgument(recordKey)],
                args: RedisIdempotencyScript.claimArguments(token: token, fingerprint: fingerprint, leaseSeconds: leaseSeconds).map { RedisArgument($0) },
                timeoutSeconds: timeout)
            switch reply.array {
            case let elements? where elements.count == 1 && elements[0].integer == 1:
                return .claimed(token: token)
            case let elements? where elements.count == 2 && elements[0].integer == 0:
                guard case .bulkString(let record) = elements[1] else {
                    throw .protocolViolation("the idempotency script answered a record that is not a string")
                }
                // A record in neither form is a store problem, not Redis being down: refuse this request only.
                return RedisIdempotencyScript.claim(existing: record, fingerprint: fingerprint)
            default:
                throw .protocolViolation("the idempotency script answered \(String(describing: reply).prefix(200)) to a claim")
            }
        }
        return answer ?? .unavailable
    }

    public func complete(key: String, token: String, answer: StoredAnswer, ttlSeconds: Int) async {
        guard answer.byteCount <= maxAnswerBytes else {
            link.logs.event(.warn, "idempotency_answer_not_kept",
                            "an answer of about \(answer.byteCount) bytes is larger than the \(maxAnswerBytes) a shared Idempotency-Key record keeps; the key is freed, so a retry runs again")
            await release(key: key, token: token)
            return
        }
        let recordKey = RedisIdempotencyScript.key(prefix: link.keyPrefix, storeKey: key)
        let args = RedisIdempotencyScript.completeArguments(token: token, answer: answer, ttlSeconds: ttlSeconds)
        let stored = await link.perform { client, timeout throws(RedisError) -> Bool in
            try await Self.flag(client.evalScript(Self.script, keys: [RedisArgument(recordKey)], args: args.map { RedisArgument($0) },
                                                  timeoutSeconds: timeout))
        }
        if stored == nil {
            // The write ran but its answer could not be kept: the claim stays until its lease ends, and a retry after
            // that runs again. Nothing better is possible without Redis; the operator should know it happened.
            link.logs.event(.error, "idempotency_answer_lost",
                            "Redis could not store the answer of a write sent with an Idempotency-Key; a retry after the lease runs the write again",
                            [("status", .int(answer.status))])
        }
    }

    public func release(key: String, token: String) async {
        let recordKey = RedisIdempotencyScript.key(prefix: link.keyPrefix, storeKey: key)
        _ = await link.perform { client, timeout throws(RedisError) -> Bool in
            try await Self.flag(client.evalScript(Self.script, keys: [RedisArgument(recordKey)],
                                                  args: RedisIdempotencyScript.releaseArguments(token: token).map { RedisArgument($0) },
                                                  timeoutSeconds: timeout))
        }
    }

    public func peek(key: String, fingerprint: [UInt8]) async -> IdempotencyClaim {
        let recordKey = RedisIdempotencyScript.key(prefix: link.keyPrefix, storeKey: key)
        let answer = await link.perform { client, timeout throws(RedisError) -> IdempotencyClaim in
            switch try await client.send(["GET", RedisArgument(recordKey)], timeoutSeconds: timeout) {
            case .null: return .claimed(token: "")
            case .bulkString(let record): return RedisIdempotencyScript.claim(existing: record, fingerprint: fingerprint)
            case let other: throw .protocolViolation("GET answered \(String(describing: other).prefix(200)) for an idempotency record")
            }
        }
        return answer ?? .unavailable
    }

    /// The 1 or 0 of `complete` and `release`.
    static func flag(_ reply: RedisReply) throws(RedisError) -> Bool {
        guard let value = reply.integer, value == 0 || value == 1 else {
            throw .protocolViolation("the idempotency script answered \(String(describing: reply).prefix(200)), not 1 or 0")
        }
        return value == 1
    }
}
