import HTTPServer
import JSONCore

/// Runs a write sent with an `Idempotency-Key` at most once per key: the first use claims the key and runs; the
/// same request again gets the stored answer (`Idempotent-Replayed: true`, nothing sent to Kore.ai); while the
/// first still runs, `409 idempotency_key_in_use`; another request under the key, `422 idempotency_key_reused`.
///
/// What is stored: every outcome of a write whose own call may have reached Kore.ai, the ambiguous ones included
/// (a timeout, a lost connection, an unreadable answer), so a retry never doubles a write. What frees the key
/// instead: outcomes where Kore.ai certainly applied nothing, so the caller's retry may run afresh: nothing was
/// sent (the body, the pacing, `If-Match` or the breaker refused it first), or Kore.ai refused the call before
/// processing it (429, 401/403, unreachable).
struct IdempotentExecution: Sendable {
    let store: any IdempotencyStore
    let ttlSeconds: Int
    let leaseSeconds: Double

    func run(_ request: IdempotentRequest, log: inout RequestLogRecord,
             _ body: (inout RequestLogRecord) async -> Result<HTTPResponse, Problem>) async -> Result<HTTPResponse, Problem> {
        let token: String
        switch await store.claim(key: request.storeKey, fingerprint: request.fingerprint, leaseSeconds: leaseSeconds) {
        case .claimed(let claimed): token = claimed
        case .stored(let answer):
            log.idempotentReplay = true
            return .success(answer.replay)
        case .inProgress(let retryAfter):
            var problem = Problem(.idempotencyKeyInUse, "a request with this Idempotency-Key is still running; send it again once that one has answered, and you get its answer")
            problem.headers.add("Retry-After", String(max(1, retryAfter)))
            return .failure(problem)
        case .otherRequest:
            return .failure(Problem(.idempotencyKeyReused, "this Idempotency-Key was used for a different request (another method, route, tenant or body); a new request needs a new key"))
        case .unavailable:
            var problem = Problem(.idempotencyUnavailable, "the Idempotency-Key records cannot be reached, so this write cannot be made safe to retry; try again shortly")
            problem.headers.add("Retry-After", "1")
            return .failure(problem)
        }
        let result = await body(&log)
        if Self.mayHaveChangedKore(result, writeReachedUpstream: log.writeReachedUpstream) {
            let response: HTTPResponse
            switch result {
            case .success(let answered): response = answered
            case .failure(let problem): response = problem.response(requestId: log.requestId)
            }
            await store.complete(key: request.storeKey, token: token, answer: StoredAnswer(response), ttlSeconds: ttlSeconds)
        } else {
            await store.release(key: request.storeKey, token: token)
        }
        return result
    }

    /// Whether the outcome must be kept: the write's own call went out and Kore.ai did not certainly refuse it.
    static func mayHaveChangedKore(_ result: Result<HTTPResponse, Problem>, writeReachedUpstream: Bool) -> Bool {
        guard writeReachedUpstream else { return false }
        if case .failure(let problem) = result {
            switch problem.code {
            case .rateLimited, .upstreamRejectedCredentials, .upstreamUnavailable: return false
            default: return true
            }
        }
        return true
    }

    /// What a dry run shows of the key: the record it names and what a real request would meet there.
    func describe(_ request: IdempotentRequest) async -> JSONValue {
        let state: String
        switch await store.peek(key: request.storeKey, fingerprint: request.fingerprint) {
        case .claimed: state = "new: the request would run and its answer be kept"
        case .inProgress: state = "in progress: 409 idempotency_key_in_use"
        case .stored: state = "stored: the kept answer would be replayed, nothing sent to Kore.ai"
        case .otherRequest: state = "used for another request: 422 idempotency_key_reused"
        case .unavailable: state = "records unavailable: 503 idempotency_unavailable"
        }
        return .object([
            "key": .string(request.key.value),
            "state": .string(state),
            "ttlSeconds": .int(ttlSeconds),
        ])
    }
}
