@testable import Gateway
import HTTPServer
import TestSupport
import Testing

/// The in-process `IdempotencyStore` with a manual clock (claims, TTL expiry, leases, tokens, bounds), the key's
/// syntax, and the stored answer's encoding for a shared store.
@Suite struct IdempotencyStoreTests {
    static let print = [UInt8](repeating: 1, count: 32)
    static let other = [UInt8](repeating: 2, count: 32)

    static func answer(_ body: String = "{\"ok\":true}") -> StoredAnswer {
        StoredAnswer(status: 201, headers: [.init(name: "Location", value: "/campaigns/voice/cd-1")], body: Array(body.utf8))
    }

    static func token(_ claim: IdempotencyClaim) -> String? {
        if case .claimed(let token) = claim { return token } else { return nil }
    }

    @Test func oneClaimRunsTheOthersWaitThenTheAnswerIsReplayedUntilItsTTL() async throws {
        let clock = ManualClock<Double>(0)
        let store = InProcessIdempotencyStore(clock: clock.closure)
        let token = try #require(Self.token(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 30)))
        #expect(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 30) == .inProgress(retryAfterSeconds: 1))
        #expect(await store.claim(key: "k", fingerprint: Self.other, leaseSeconds: 30) == .otherRequest)
        await store.complete(key: "k", token: token, answer: Self.answer(), ttlSeconds: 100)
        #expect(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 30) == .stored(Self.answer()))
        #expect(await store.claim(key: "k", fingerprint: Self.other, leaseSeconds: 30) == .otherRequest)
        #expect(await store.peek(key: "k", fingerprint: Self.print) == .stored(Self.answer()))
        clock.set(99.9)
        #expect(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 30) == .stored(Self.answer()))
        clock.set(100)
        // Expired: the key is new again, and whoever claims it now runs.
        #expect(Self.token(await store.claim(key: "k", fingerprint: Self.other, leaseSeconds: 30)) != nil)
    }

    /// Concurrent claims of one key from many tasks: exactly one wins.
    @Test func concurrentClaimsHaveExactlyOneWinner() async {
        let store = InProcessIdempotencyStore()
        let winners = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<200 {
                group.addTask { Self.token(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 30)) == nil ? 0 : 1 }
            }
            return await group.reduce(0, +)
        }
        #expect(winners == 1)
    }

    @Test func aReleasedKeyRunsAgainAndOnlyTheHolderFinishes() async throws {
        let clock = ManualClock<Double>(0)
        let store = InProcessIdempotencyStore(clock: clock.closure)
        let first = try #require(Self.token(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10)))
        await store.release(key: "k", token: "not-the-holder")
        #expect(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10) == .inProgress(retryAfterSeconds: 1))
        await store.release(key: "k", token: first)
        let second = try #require(Self.token(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10)))
        // The first holder's late answer does not overwrite the second's claim.
        await store.complete(key: "k", token: first, answer: Self.answer("late"), ttlSeconds: 100)
        #expect(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10) == .inProgress(retryAfterSeconds: 1))
        await store.complete(key: "k", token: second, answer: Self.answer(), ttlSeconds: 100)
        #expect(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10) == .stored(Self.answer()))
    }

    /// A claim whose holder never finished is free after its lease; the holder's answer after that is dropped.
    @Test func anAbandonedClaimIsFreeAfterItsLease() async throws {
        let clock = ManualClock<Double>(0)
        let store = InProcessIdempotencyStore(clock: clock.closure)
        let stale = try #require(Self.token(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10)))
        clock.set(10)
        await store.complete(key: "k", token: stale, answer: Self.answer(), ttlSeconds: 100)
        #expect(store.count == 0, "the late answer was dropped and the stale claim with it")
        #expect(Self.token(await store.claim(key: "k", fingerprint: Self.print, leaseSeconds: 10)) != nil)
    }

    /// Past a bound, expired answers go first, then the oldest; records in progress are never evicted, and when
    /// they alone fill the store a claim says the store is unavailable.
    @Test func theStoreIsBoundedInEntriesAndBytes() async throws {
        let clock = ManualClock<Double>(0)
        let store = InProcessIdempotencyStore(limits: .init(maxEntries: 3, maxBytes: 10_000), clock: clock.closure)
        for name in ["a", "b", "c"] {
            let token = try #require(Self.token(await store.claim(key: name, fingerprint: Self.print, leaseSeconds: 10)))
            await store.complete(key: name, token: token, answer: Self.answer(), ttlSeconds: name == "a" ? 5 : 100)
        }
        clock.set(6)
        // "a" expired: it makes room without counting as an eviction.
        let d = try #require(Self.token(await store.claim(key: "d", fingerprint: Self.print, leaseSeconds: 10)))
        #expect(store.evictions == 0 && store.count == 3)
        await store.complete(key: "d", token: d, answer: Self.answer(), ttlSeconds: 100)
        // Full of live answers: the oldest ("b") is evicted for the next claim.
        let e = try #require(Self.token(await store.claim(key: "e", fingerprint: Self.print, leaseSeconds: 10)))
        #expect(store.evictions == 1 && store.count == 3)
        #expect(Self.token(await store.peek(key: "b", fingerprint: Self.print)) != nil, "b was evicted")
        #expect(await store.peek(key: "c", fingerprint: Self.print) == .stored(Self.answer()))
        // In progress: e, and two more; nothing left to evict.
        _ = await store.claim(key: "f", fingerprint: Self.print, leaseSeconds: 10)
        _ = await store.claim(key: "g", fingerprint: Self.print, leaseSeconds: 10)
        #expect(await store.claim(key: "h", fingerprint: Self.print, leaseSeconds: 10) == .unavailable)
        await store.release(key: "e", token: e)

        // Bytes: answers of ~4 KB in a 10 KB store keep only the newest two.
        let small = InProcessIdempotencyStore(limits: .init(maxEntries: 100, maxBytes: 10_000), clock: clock.closure)
        let big = String(repeating: "x", count: 4000)
        for name in ["p", "q", "r"] {
            let token = try #require(Self.token(await small.claim(key: name, fingerprint: Self.print, leaseSeconds: 10)))
            await small.complete(key: name, token: token, answer: Self.answer(big), ttlSeconds: 100)
        }
        #expect(small.byteCount <= 10_000 && small.count == 2 && small.evictions == 1)
        // One answer larger than the whole store is not kept at all (the retry runs again).
        let huge = try #require(Self.token(await small.claim(key: "s", fingerprint: Self.print, leaseSeconds: 10)))
        await small.complete(key: "s", token: huge, answer: Self.answer(String(repeating: "y", count: 20_000)), ttlSeconds: 100)
        #expect(Self.token(await small.peek(key: "s", fingerprint: Self.print)) != nil)
        #expect(small.byteCount <= 10_000)
    }

    @Test func keysParseAsTheDraftsStringOrBare() {
        func parse(_ values: [String]) -> String {
            var headers = HTTPHeaders()
            for value in values { headers.add("Idempotency-Key", value) }
            switch IdempotencyKey.parse(headers) {
            case .success(let key): return key?.value ?? "none"
            case .failure(let problem): return problem.code.rawValue
            }
        }
        #expect(parse([]) == "none")
        #expect(parse(["\"8e03978e-40d5-43e8-bc93-6894a57f9324\""]) == "8e03978e-40d5-43e8-bc93-6894a57f9324")
        #expect(parse(["8e03978e"]) == "8e03978e")
        #expect(parse(["\"a\\\"b\\\\c\""]) == "a\"b\\c")
        #expect(parse([String(repeating: "k", count: 255)]) == String(repeating: "k", count: 255))
        for bad in [[""], ["\"\""], [String(repeating: "k", count: 256)], ["a b"], ["\"a b\""], ["\"a"], ["\"a\"b"], ["\"a\\b\""],
                    ["\u{7F}"], ["é"], ["a", "b"]] {
            #expect(parse(bad) == "invalid_idempotency_key", "\(bad)")
        }
    }

    /// The scope: another client or tenant is another record; the fingerprint: another method, path, tenant or body.
    @Test func scopeAndFingerprint() {
        let key = IdempotencyKey(value: "k")
        let base = IdempotentRequest(key: key, client: "app", tenant: "t", method: "POST", path: "/campaigns/voice", body: [1])
        #expect(base.storeKey.count == 64)
        #expect(IdempotentRequest(key: key, client: "app2", tenant: "t", method: "POST", path: "/campaigns/voice", body: [1]).storeKey != base.storeKey)
        #expect(IdempotentRequest(key: key, client: "app", tenant: "t2", method: "POST", path: "/campaigns/voice", body: [1]).storeKey != base.storeKey)
        for other in [IdempotentRequest(key: key, client: "app", tenant: "t", method: "PUT", path: "/campaigns/voice", body: [1]),
                      IdempotentRequest(key: key, client: "app", tenant: "t", method: "POST", path: "/campaigns/sms", body: [1]),
                      IdempotentRequest(key: key, client: "app", tenant: "t", method: "POST", path: "/campaigns/voice", body: [2])] {
            #expect(other.storeKey == base.storeKey && other.fingerprint != base.fingerprint)
        }
        // Lengths in front: moving a byte from one part to the next changes the fingerprint.
        #expect(IdempotentRequest.joined([[1, 2], [3]]) != IdempotentRequest.joined([[1], [2, 3]]))
    }

    @Test func storedAnswersRoundTripAndBrokenRecordsAreRefused() {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        headers.add("X-Request-Id", "r-1")
        headers.add("RateLimit", "\"account\";r=1;t=2")
        headers.add("Location", "/campaigns/voice/cd-1")
        let answer = StoredAnswer(HTTPResponse(status: 201, headers: headers, body: Array("{\"a\":1}".utf8)))
        #expect(answer.headers.map(\.name) == ["Content-Type", "Location"], "only the fields worth replaying")
        #expect(StoredAnswer.decode(answer.encoded()) == answer)
        let replay = answer.replay
        #expect(replay.status == 201 && replay.headers["Idempotent-Replayed"] == "true" && replay.body == answer.body)
        for broken in ["", "[]", "{\"status\":99,\"headers\":[],\"body\":\"\"}", "{\"status\":200,\"headers\":[[\"a b\",\"x\"]],\"body\":\"\"}",
                       "{\"status\":200,\"headers\":[[\"X\",\"a\\r\\nb\"]],\"body\":\"\"}", "{\"status\":200,\"headers\":[],\"body\":\"***\"}",
                       "{\"status\":200,\"headers\":[[\"X\"]],\"body\":\"\"}", "{\"status\":200,\"body\":\"\"}"] {
            #expect(StoredAnswer.decode(Array(broken.utf8)) == nil, "\(broken)")
        }
    }

    /// Which outcomes keep the key and which free it.
    @Test func whatIsKeptAndWhatFreesTheKey() {
        let ok: Result<HTTPResponse, Problem> = .success(HTTPResponse(status: 200))
        #expect(IdempotentExecution.mayHaveChangedKore(ok, writeReachedUpstream: true))
        #expect(!IdempotentExecution.mayHaveChangedKore(ok, writeReachedUpstream: false))
        for code in [ProblemCode.upstreamTimeout, .upstreamConnectionLost, .upstreamBadResponse, .upstreamError, .upstreamRejectedRequest, .campaignNotFound, .conflict] {
            #expect(IdempotentExecution.mayHaveChangedKore(.failure(Problem(code, "")), writeReachedUpstream: true), "\(code)")
        }
        for code in [ProblemCode.rateLimited, .upstreamRejectedCredentials, .upstreamUnavailable] {
            #expect(!IdempotentExecution.mayHaveChangedKore(.failure(Problem(code, "")), writeReachedUpstream: true), "\(code)")
        }
    }

    /// A store that cannot answer turns the write away with a retryable 503, running nothing.
    @Test func anUnavailableStoreIsARetryable503() async {
        struct Down: IdempotencyStore {
            func claim(key: String, fingerprint: [UInt8], leaseSeconds: Double) async -> IdempotencyClaim { .unavailable }
            func complete(key: String, token: String, answer: StoredAnswer, ttlSeconds: Int) async {}
            func release(key: String, token: String) async {}
            func peek(key: String, fingerprint: [UInt8]) async -> IdempotencyClaim { .unavailable }
        }
        let execution = IdempotentExecution(store: Down(), ttlSeconds: 60, leaseSeconds: 10)
        var log = RequestLogRecord(requestId: "r", method: "POST", route: "/campaigns/{type}")
        var ran = false
        let request = IdempotentRequest(key: IdempotencyKey(value: "k"), client: "c", tenant: "t", method: "POST", path: "/p", body: [])
        let result = await execution.run(request, log: &log) { _ in
            ran = true
            return .success(HTTPResponse(status: 200))
        }
        guard case .failure(let problem) = result else { Issue.record("ran without the store"); return }
        #expect(!ran && problem.httpStatus == 503 && problem.code == .idempotencyUnavailable && problem.code.retryable)
        #expect(problem.headers["Retry-After"] == "1")
    }
}
