import TestSupport
import Foundation
import Gateway
import GatewayCrypto
import Glibc
import HTTPServer
import KoreSimulator
import Synchronization
import Testing

/// The operator's signals against the real `campaign-gateway serve --config` process under load: SIGTERM drains hundreds of in-flight requests without losing one;
/// SIGHUP swaps a tenant's secret and the API keys while requests keep flowing, and refuses an invalid file.
///
/// The simulator runs in this process (its call log shows what reached "Kore.ai"); the load comes from raw
/// non-blocking sockets on one thread of their own (`RawHTTPLoad`), so the cooperative pool stays free.
@Suite(.serialized) struct SignalEndToEndTests {
    static let loadKey = "signal-test-key-load-0001"
    static let oldKey = "signal-test-key-old-0002"
    static let newKey = "signal-test-key-new-0003"
    static let oldSecret = "signal-v1-secret-before-rotation"
    static let newSecret = "signal-v1-secret-after-rotation"
    static let slowSecret = "signal-slow-tenant-secret"
    /// Well formed, absent from the seeds: every DELETE reaches the simulator and comes back 404 campaign_not_found.
    static let absentId = "cd-0000000-aaaa-4bbb-8ccc-signal0xxxx"

    // MARK: SIGTERM

    @Test func sigtermDrainsHundredsOfInFlightRequestsAndExitsZero() async throws {
        let v1 = SimulatorTenant(streamId: "st-signal-v1", accountId: "acct-signal-1", clientId: "cs-signal-v1",
                                 secret: Array(Self.oldSecret.utf8), enforceJti: false)
        let fixture = try SignalFixture(tenants: [v1])
        try await fixture.run { f in
            // Long enough that the drain outlasts the test's own reaction to it on a loaded machine: the probe below
            // must be finished while requests are still in flight (with 400 ms the drain could end, and close the
            // probe unanswered, before a busy test thread had seen `draining`).
            f.simulator.inject(.latency(milliseconds: 2_500), count: nil)
            try f.writeSecret("v1.secret", Self.oldSecret)
            let grace = 10.0
            // The readiness probe below holds a request head open across the burst's start; a loaded machine can
            // make that longer than the default 10 s header timeout (then the probe gets 408, not the drain's 503).
            let gateway = try await f.launchGateway { port in
                f.config(port: port, v1Secret: "v1.secret", clients: [("load-app", Self.loadKey)], grace: grace,
                         extra: #""limits": { "headerTimeoutSeconds": 300 },"#)
            }
            let burstLoad = f.load(port: gateway.port)
            let trickleLoad = f.load(port: gateway.port)
            let delete = RawHTTPLoad.request("DELETE", "/campaigns/voice/\(Self.absentId)",
                                             headers: ["Authorization": "Bearer \(Self.loadKey)"], body: nil)

            // A readiness request whose head lacks only its final CRLF, on a connection made before SIGTERM: it is
            // neither idle nor in flight, so the drain leaves it open; finishing it after SIGTERM shows /readyz then.
            let probe = try await OffPool.run { () -> HeldConnection in
                let connection = try HeldConnection(port: gateway.port)
                try connection.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                return connection
            }

            let burstSize = 300
            let burst = Task {
                await withTaskGroup(of: RawExchange.self) { group in
                    for _ in 0..<burstSize { group.addTask { await burstLoad.exchange(delete) } }
                    return await group.reduce(into: [RawExchange]()) { $0.append($1) }
                }
            }
            // New connections every 15 ms from before SIGTERM until the process is gone: some are served, some meet
            // the closing listener, the rest are refused. Those written before SIGTERM must all be answered: they
            // caught two drain bugs in the HTTP server (a request still unread in the socket was reset when the drain
            // closed its "idle" connection; connections waiting in the listen backlog were reset by the close).
            let trickle = Task {
                await withTaskGroup(of: RawExchange.self) { group in
                    let deadline = monotonicNanos() + 40_000_000_000
                    while gateway.exit == nil && monotonicNanos() < deadline {
                        group.addTask { await trickleLoad.exchange(delete) }
                        try? await Task.sleep(nanoseconds: 15_000_000)
                    }
                    return await group.reduce(into: [RawExchange]()) { $0.append($1) }
                }
            }

            // In flight: every burst request written, and the first wave reached the simulator (the upstream pool has
            // room for the whole burst, so nearly all of it waits out the latency together).
            try await poll("the burst to be written and reach the simulator", timeoutSeconds: 30) {
                burstLoad.sentCount == burstSize && f.simulator.callCount >= 48
            }
            let completedBeforeSignal = burstLoad.completedCount
            let upstreamCallsBeforeSignal = f.simulator.callCount
            let signalledAt = monotonicNanos()
            gateway.signal(SIGTERM)

            try await gateway.waitFor(event: "draining", timeoutSeconds: 10)
            let readiness = try await OffPool.run { () -> (status: Int, text: String) in
                try probe.send("\r\n")
                return try probe.readResponse()
            }
            let exit = await gateway.waitForExit(timeoutSeconds: grace + 10)
            let observed = DrainObservation(
                burstSize: burstSize, grace: grace, signalledAt: signalledAt, completedBeforeSignal: completedBeforeSignal,
                upstreamCallsBeforeSignal: upstreamCallsBeforeSignal, burst: await burst.value, trickle: await trickle.value,
                readiness: readiness, exit: exit, logLines: gateway.logLines, output: gateway.output)
            Self.verify(observed)
        }
    }

    /// What the SIGTERM test saw, checked apart from the closure that gathered it.
    struct DrainObservation {
        var burstSize: Int
        var grace: Double
        var signalledAt: UInt64
        var completedBeforeSignal: Int
        var upstreamCallsBeforeSignal: Int
        var burst: [RawExchange]
        var trickle: [RawExchange]
        var readiness: (status: Int, text: String)
        var exit: GatewayChildProcess.Exit?
        var logLines: [[String: Any]]
        var output: String
    }

    static func verify(_ o: DrainObservation) {
        let t0 = o.signalledAt
        // Every burst request was written before SIGTERM, and every one gets its 404 from upstream.
        #expect(o.burst.count == o.burstSize)
        #expect(o.burstSize - o.completedBeforeSignal >= 100, "too few requests were in flight at SIGTERM to prove the drain")
        #expect(o.burst.allSatisfy { ($0.sentAt ?? .max) < t0 })
        let burstFailures = o.burst.filter { $0.status != 404 || !$0.body.contains("campaign_not_found") }
        #expect(burstFailures.isEmpty, "burst failures: \(timeline(burstFailures, from: t0))")

        // Accepted = got any response, or was fully written before SIGTERM: each of those must be the 404.
        let all = o.burst + o.trickle
        let accepted = all.filter { $0.status != nil || ($0.sentAt ?? .max) < t0 }
        let failedAccepted = accepted.filter { $0.status != 404 }
        let refusals = o.trickle.filter { $0.outcome == .refused }.map(\.finishedAt).sorted()
        #expect(failedAccepted.isEmpty, "accepted but failed: \(timeline(failedAccepted, from: t0)); first refusal at \(ms(refusals.first, from: t0))")

        // Readiness failed during the drain.
        #expect(o.readiness.status == 503, "\(o.readiness.text)")
        #expect(o.readiness.text.contains("draining"))

        // The listener closed while requests were still draining: new connections were refused before the exit, and
        // every connection begun after the first refusal was refused too.
        let exitedAt = o.exit?.at ?? .max
        let refusedBeforeExit = refusals.filter { $0 < exitedAt }
        #expect(!refusedBeforeExit.isEmpty, "no connection was refused while the gateway drained")
        if let firstRefusal = refusals.first {
            #expect(firstRefusal > t0)
            let notRefusedLater = o.trickle.filter { $0.startedAt > firstRefusal && $0.outcome != .refused }
            #expect(notRefusedLater.isEmpty, "after the first refusal at \(ms(firstRefusal, from: t0)): \(timeline(notRefusedLater, from: t0))")
        }

        // Exit 0 within the grace period (plus a margin for a loaded machine), with both events logged in order.
        let drainSeconds = o.exit.map { Double($0.at - t0) / 1e9 }
        #expect(o.exit?.status == 0 && o.exit?.bySignal == false, "\(String(describing: o.exit))\n\(o.output.suffix(2000))")
        #expect((drainSeconds ?? .infinity) < o.grace + 5)
        let events = o.logLines.compactMap { $0["event"] as? String }
        let draining = events.firstIndex(of: "draining"), stopped = events.firstIndex(of: "stopped")
        #expect(draining != nil && stopped != nil && draining! < stopped!, "\(events)")
        // One request log line per answered request, none of them a 5xx.
        let requestLines = o.logLines.filter { $0["status"] != nil && $0["route"] as? String == "/campaigns/{type}/{id}" }
        let answered = all.filter { $0.status != nil }.count
        #expect(requestLines.count == answered)
        #expect(!requestLines.contains { ($0["status"] as? Int ?? 0) >= 500 })

        let unanswered = o.trickle.filter { if case .noResponse = $0.outcome { return true } else { return false } }
        print("""
            SIGTERM drain: \(o.burstSize - o.completedBeforeSignal) of \(o.burstSize) burst requests in flight at SIGTERM \
            (\(o.upstreamCallsBeforeSignal) upstream calls begun), \(burstFailures.count) failed; trickle: \(o.trickle.count) \
            connections, \(o.trickle.filter { $0.status != nil }.count) answered, \(refusals.count) refused, \(unanswered.count) \
            closed unanswered (\(unanswered.filter { ($0.sentAt ?? .max) < t0 }.count) of them sent before SIGTERM); \
            accepted but failed: \(failedAccepted.count); drain \(drainSeconds.map { String(format: "%.2f", $0) } ?? "-") s of \
            \(o.grace) s grace; exit \(o.exit.map { String($0.status) } ?? "-")
            """)
    }

    /// Milliseconds from `origin`, signed.
    static func ms(_ t: UInt64?, from origin: UInt64) -> String {
        t.map { String(format: "%+.0f ms", (Double($0) - Double(origin)) / 1e6) } ?? "-"
    }

    /// Each exchange's outcome and moments relative to `origin` (SIGTERM).
    static func timeline(_ exchanges: [RawExchange], from origin: UInt64) -> String {
        let lines = exchanges.sorted { $0.startedAt < $1.startedAt }.map { e in
            "\(e.outcome): started \(ms(e.startedAt, from: origin)), connected \(ms(e.connectedAt, from: origin)), sent \(ms(e.sentAt, from: origin)), ended \(ms(e.finishedAt, from: origin))"
        }
        return "\(exchanges.count): " + lines.joined(separator: "; ")
    }

    // MARK: SIGHUP

    /// The image has no shell and no `kill`: `campaign-gateway reload` is how an operator sends SIGHUP in it.
    @Test func reloadCommandSendsSighupToTheGateway() async throws {
        let v1 = SimulatorTenant(streamId: "st-signal-v1", accountId: "acct-signal-1", clientId: "cs-signal-v1",
                                 secret: Array(Self.oldSecret.utf8), enforceJti: false)
        let fixture = try SignalFixture(tenants: [v1])
        try await fixture.run { f in
            try f.writeSecret("v1.secret", Self.oldSecret)
            let gateway = try await f.launchGateway { port in
                f.config(port: port, v1Secret: "v1.secret", clients: [("app", Self.oldKey)])
            }
            // The file now names another port (not applied until a restart), a rotated secret and a second client.
            let otherPort = try FreePort.find()
            try f.writeSecret("v1-rotated.secret", Self.newSecret)
            try f.writeConfigAtomically(f.config(port: otherPort, v1Secret: "v1-rotated.secret",
                                                 clients: [("app", Self.oldKey), ("app-next", Self.newKey)]))
            let binary = try BinaryLocator.path("campaign-gateway")
            let sent = try await ChildProcess.run(binary, ["reload", "--pid", String(gateway.pid)])
            let refused = try await ChildProcess.run(binary, ["reload", "--pid", "nope"])
            try await gateway.waitFor(event: "reloaded", count: 1)
            #expect(sent.status == 0, "\(sent.error)")
            #expect(refused.status == 2)
            #expect(gateway.events("reloaded").count == 1)
            let reloaded = gateway.events("reloaded").first ?? [:]
            let changed = reloaded["changed"] as? [String] ?? []
            #expect(changed == ["tenants[v1].clientSecret source: file v1.secret -> file v1-rotated.secret",
                                "tenants[v1].clientSecret: changed", "clients[app-next]: added"], "\(reloaded)")
            let notApplied = "listen.port: \(gateway.port) -> \(otherPort)"
            #expect(reloaded["notApplied"] as? [String] == [notApplied], "\(reloaded)")
            #expect(gateway.events("restart_required").first?["notApplied"] as? [String] == [notApplied])
            #expect(!gateway.output.contains(Self.newSecret) && !gateway.output.contains(Self.oldSecret))
            // Still on the port it started with.
            let health = try await OffPool.run { () throws -> Int in
                let client = try RawHTTPClient(port: gateway.port)
                try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                return try client.readResponse().status
            }
            #expect(health == 200)
        }
    }

    @Test func sighupRotatesSecretAndKeysUnderLoadAndRefusesAnInvalidFile() async throws {
        // The simulator accepts tokens signed with the old and the new secret: Kore.ai's side of a rotation overlaps.
        let v1 = SimulatorTenant(streamId: "st-signal-v1", accountId: "acct-signal-1", clientId: "cs-signal-v1",
                                 secret: Array(Self.newSecret.utf8), enforceJti: false,
                                 additionalSecrets: [Array(Self.oldSecret.utf8)])
        let slow = SimulatorTenant(streamId: "st-signal-slow", accountId: "acct-signal-2", clientId: "cs-signal-slow",
                                   secret: Array(Self.slowSecret.utf8), enforceJti: false)
        let fixture = try SignalFixture(tenants: [v1], slowTenants: [slow])
        try await fixture.run { f in
            f.simulator.inject(.latency(milliseconds: 100), count: nil)
            f.slowSimulator.inject(.latency(milliseconds: 2000), count: nil)
            try f.writeSecret("v1-old.secret", Self.oldSecret)
            try f.writeSecret("v1-new.secret", Self.newSecret)
            try f.writeSecret("slow.secret", Self.slowSecret)
            let old = ("app", Self.oldKey), new = ("app-next", Self.newKey)
            var port = 0
            let gateway = try await f.launchGateway { chosen in
                port = chosen
                return f.config(port: chosen, v1Secret: "v1-old.secret", clients: [old], slow: true)
            }
            let load = f.load(port: gateway.port)
            let update = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/update-voice.json"))
            @Sendable func put(_ key: String) -> [UInt8] {
                RawHTTPLoad.request("PUT", "/campaigns/voice/\(Samples.v1VoiceUpdate)",
                                    headers: ["Authorization": "Bearer \(key)", "X-Tenant": "v1", "Content-Type": "application/json"],
                                    body: Array(update))
            }
            @Sendable func delete(_ key: String, tenant: String) -> [UInt8] {
                RawHTTPLoad.request("DELETE", "/campaigns/voice/\(Self.absentId)",
                                    headers: ["Authorization": "Bearer \(key)", "X-Tenant": tenant], body: nil)
            }

            // Six clients loop PUTs with whichever key is current.
            let clients = ClientLoops()
            let loops = Task {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            while !clients.stopped {
                                let key = clients.beginRequest()
                                let result = await load.exchange(put(key == 0 ? Self.oldKey : Self.newKey))
                                clients.endRequest(key: key, result)
                            }
                        }
                    }
                }
            }
            try await poll("the first requests", timeoutSeconds: 20) { clients.completed >= 30 }

            // 1. The new secret and a second key, the old key kept (a rotation overlaps).
            try f.writeConfigAtomically(f.config(port: port, v1Secret: "v1-new.secret", clients: [old, new], slow: true))
            let inFlightAtFirstReload = clients.inFlight
            gateway.signal(SIGHUP)
            try await gateway.waitFor(event: "reloaded", count: 1)
            let afterFirst = clients.completed
            try await poll("requests on the second configuration", timeoutSeconds: 20) { clients.completed >= afterFirst + 30 }

            // 2. The clients move to the new key; once no request with the old key is left, the old key goes.
            clients.switchToNewKey()
            try await poll("the old key's last requests", timeoutSeconds: 20) { clients.inFlightWithOldKey == 0 }
            // One request with the old key stays in flight across that reload (the slow tenant answers in 2 s):
            // it started on the old configuration, so it must finish on it.
            let straggler = Task {
                let result = await load.exchange(delete(Self.oldKey, tenant: "slow"))
                clients.markStragglerDone()
                return result
            }
            try await poll("the straggler to reach the slow simulator", timeoutSeconds: 20) { f.slowSimulator.callCount == 1 }
            try f.writeConfigAtomically(f.config(port: port, v1Secret: "v1-new.secret", clients: [new], slow: true))
            let inFlightAtSecondReload = clients.inFlight
            gateway.signal(SIGHUP)
            try await gateway.waitFor(event: "reloaded", count: 2)
            let callsAtSecondReload = f.simulator.callCount
            let stragglerDoneBeforeReload = clients.stragglerDone
            let oldKeyAfterRotation = await load.exchange(put(Self.oldKey))
            let stragglerResult = await straggler.value

            // 3. An invalid file (an unknown key, and no client left that could call): refused, the old one stays.
            let afterSecond = clients.completed
            try await poll("requests on the third configuration", timeoutSeconds: 20) { clients.completed >= afterSecond + 20 }
            try f.writeConfigAtomically(f.config(port: port, v1Secret: "v1-new.secret", clients: [], slow: true,
                                                 extra: #""surprise": true,"#))
            gateway.signal(SIGHUP)
            try await gateway.waitFor(event: "reload_refused", count: 1)
            let afterRefusal = clients.completed
            try await poll("requests after the refused reload", timeoutSeconds: 20) { clients.completed >= afterRefusal + 30 }
            let oldKeyAfterRefusal = await load.exchange(put(Self.oldKey))
            clients.stop()
            await loops.value

            gateway.signal(SIGTERM)
            let exit = await gateway.waitForExit(timeoutSeconds: 20)

            let results = clients.results
            let failures = results.filter { $0.exchange.status != 200 }
            #expect(failures.isEmpty, "\(failures.count) of \(results.count) failed: \(failures.map { "key \($0.key): \($0.exchange.outcome) \($0.exchange.body.prefix(300))" })")
            #expect(results.contains { $0.key == 0 } && results.contains { $0.key == 1 })
            #expect(gateway.events("reloaded").count == 2)
            #expect(gateway.events("reload_refused").count == 1)
            let refusal = gateway.events("reload_refused").first
            #expect(refusal?["level"] as? String == "error")
            #expect(refusal.map { "\($0)" }?.contains("surprise") == true, "\(String(describing: refusal))")
            #expect(oldKeyAfterRotation.status == 401 && oldKeyAfterRotation.body.contains("unauthorized"), "\(oldKeyAfterRotation.outcome) \(oldKeyAfterRotation.body)")
            #expect(oldKeyAfterRefusal.status == 401)
            #expect(stragglerResult.status == 404 && stragglerResult.body.contains("campaign_not_found"),
                    "in flight across the reload: \(stragglerResult.outcome) \(stragglerResult.body)")
            #expect(!stragglerDoneBeforeReload, "the straggler finished before the reload; it proves nothing")
            #expect(exit?.status == 0)

            // Upstream: tokens signed with the old secret before the first reload, only the new one after the second.
            let calls = f.simulator.calls
            func signedWith(_ secret: String, _ call: SimulatedCall) -> Bool {
                guard let token = call.header("auth") else { return false }
                if case .success = JWT.verify(token, secret: Array(secret.utf8)) { return true }
                return false
            }
            let oldSigned = calls.filter { signedWith(Self.oldSecret, $0) }.count
            let newSigned = calls.filter { signedWith(Self.newSecret, $0) }.count
            #expect(calls.allSatisfy { $0.responseStatus == 200 })
            #expect(oldSigned + newSigned == calls.count)
            #expect(calls.first.map { signedWith(Self.oldSecret, $0) } == true)
            #expect(calls.dropFirst(callsAtSecondReload).allSatisfy { signedWith(Self.newSecret, $0) })
            #expect(calls.count > callsAtSecondReload)

            print("""
                SIGHUP under load: \(results.count) requests (\(results.filter { $0.key == 0 }.count) old key, \
                \(results.filter { $0.key == 1 }.count) new key), \(failures.count) failed; in flight at the reloads: \
                \(inFlightAtFirstReload) and \(inFlightAtSecondReload) (+1 straggler, answered \(stragglerResult.outcome)); \
                reloaded x\(gateway.events("reloaded").count), reload_refused x\(gateway.events("reload_refused").count); \
                upstream tokens: \(oldSigned) old secret, \(newSigned) new secret; old key afterwards: \
                \(oldKeyAfterRotation.outcome), after the refused file: \(oldKeyAfterRefusal.outcome)
                """)
        }
    }
}

/// Polls `condition` every 10 ms; throws with `what` after `timeoutSeconds`.
private func poll(_ what: String, timeoutSeconds: Double, _ condition: () -> Bool) async throws {
    let deadline = monotonicNanos() + UInt64(timeoutSeconds * 1e9)
    while !condition() {
        guard monotonicNanos() < deadline else { throw SignalFixture.Failure(description: "timed out waiting for \(what)") }
        try await Task.sleep(nanoseconds: 10_000_000)
    }
}

/// The looping clients' shared state: which key they use, what is in flight with which key, and every result.
private final class ClientLoops: Sendable {
    struct Result: Sendable {
        var key: Int
        var exchange: RawExchange
    }
    private struct State {
        var key = 0
        var inFlight = [0, 0]
        var results: [Result] = []
        var stopped = false
        var stragglerDone = false
    }
    private let state = Mutex(State())

    var stopped: Bool { state.withLock { $0.stopped } }
    var completed: Int { state.withLock { $0.results.count } }
    var inFlight: Int { state.withLock { $0.inFlight.reduce(0, +) } }
    var inFlightWithOldKey: Int { state.withLock { $0.inFlight[0] } }
    var results: [Result] { state.withLock { $0.results } }

    /// The key (0 old, 1 new) the next request uses, counted in flight until `endRequest`.
    func beginRequest() -> Int {
        state.withLock { state in
            state.inFlight[state.key] += 1
            return state.key
        }
    }

    func endRequest(key: Int, _ exchange: RawExchange) {
        state.withLock { state in
            state.inFlight[key] -= 1
            state.results.append(Result(key: key, exchange: exchange))
        }
    }

    func switchToNewKey() { state.withLock { $0.key = 1 } }
    func stop() { state.withLock { $0.stopped = true } }

    var stragglerDone: Bool { state.withLock { $0.stragglerDone } }
    func markStragglerDone() { state.withLock { $0.stragglerDone = true } }
}
