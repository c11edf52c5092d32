import Dispatch
import Foundation
@testable import Gateway
import KoreSimulator
import Synchronization
import Testing
import TestSupport

/// Holds the audit writer inside its flush until the test lets go, and counts the flushes: with it, "the event loop
/// never waits for the disk" is a question of order (did /healthz answer while the fsync was held?), not of timing.
final class FlushGate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let isOpen = Atomic<Bool>(false)
    private let calls = Atomic<Int>(0)

    var flushCount: Int { calls.load(ordering: .acquiring) }

    /// The audit log's flush: waits for `open()` (the first time), then fsyncs for real.
    var flush: @Sendable (Int32) -> Bool {
        { [self] fd in
            calls.add(1, ordering: .releasing)
            if !isOpen.load(ordering: .acquiring) {
                entered.signal()
                released.wait()
            }
            return fsync(fd) == 0
        }
    }

    /// True once the writer is inside a held flush.
    func waitUntilHeld(seconds: Double) async throws -> Bool {
        try await OffPool.run { [entered] in entered.wait(timeout: .now() + seconds) == .success }
    }

    func open() {
        isOpen.store(true, ordering: .releasing)
        released.signal()
    }
}

@Suite(.serialized) struct AuditWriterEndToEndTests {
    /// While the audit writer sits in an fsync that does not return, the writes wait for their records and
    /// everything else is served: /healthz on fresh connections (spread over every event loop) answers at once.
    /// Then the held fsync returns, and the records queued behind it are committed by a single second flush.
    @Test func healthzAnswersWhileAnAuditFsyncIsHeldAndQueuedRecordsShareOneFlush() async throws {
        // Every await here resumes on a thread of the test's own: "answered while held" must not depend on how long
        // the suites beside it keep Swift's cooperative pool busy.
        try await OwnThread.run { executor in try await healthzWhileHeld(executor) }
    }

    private func healthzWhileHeld(_ executor: OwnThreadExecutor) async throws {
        let gate = FlushGate()
        var options = GatewayHarness.Options()
        options.audit = true
        options.auditFlush = gate.flush
        let h = try GatewayHarness(options)
        let v1 = GatewayHarness.apiKeys["v1only"]
        let writesAnswered = AnsweredCounter()

        let first = Task(executorPreference: executor) {
            let reply = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: v1, headers: ["X-Request-Id": "held-0"])
            writesAnswered.increment()
            return reply
        }
        let held = try await gate.waitUntilHeld(seconds: 10)
        if !held {
            // Say what happened instead: did the DELETE reach Kore.ai, what did it answer, what did the gateway log?
            gate.open()
            let answer = await first.result
            Issue.record("""
                the first audited write never reached the audit writer's flush within 10 s: calls at the simulator \
                \(h.simulator.callCount), flushes \(gate.flushCount), answer \(answer.map { "\($0.status) \($0.text)" }), \
                log: \(h.logLines.text)
                """)
            await h.stop()
            return
        }
        // Three more writes reach Kore.ai and queue their records behind the held flush.
        let more = (1...3).map { index in
            Task(executorPreference: executor) {
                let reply = try await h.send("DELETE", "/campaigns/sms/\(Samples.v1SmsDelete)", key: v1, headers: ["X-Request-Id": "held-\(index)"])
                writesAnswered.increment()
                return reply.status
            }
        }
        let queuedDeadline = Date().addingTimeInterval(10)
        while h.runtime.handler.audit.queuedRecords < 3 && Date() < queuedDeadline { try await Task.sleep(nanoseconds: 5_000_000) }
        #expect(h.runtime.handler.audit.queuedRecords == 3)

        let load = RawHTTPLoad(port: h.port, timeoutSeconds: 5)
        var probes: [RawExchange] = []
        for _ in 0..<20 { probes.append(await load.exchange(RawHTTPLoad.get("/healthz"))) }
        load.stop()
        let answeredWhileHeld = writesAnswered.value
        let slowest = probes.map { Double($0.finishedAt - $0.startedAt) / 1e6 }.max() ?? 0

        gate.open()
        let statuses = try await [first.value.status] + more.asyncMap { try await $0.value }
        let records = try AuditEndToEndTests.records(h.directory + "/audit.jsonl")
        await h.stop()

        print("audit fsync held: 20 /healthz answered, slowest \(String(format: "%.1f", slowest)) ms; writes answered meanwhile: \(answeredWhileHeld); flushes: \(gate.flushCount)")
        #expect(probes.allSatisfy { $0.status == 200 }, "\(probes.map(\.outcome))")
        // The held fsync never returns on its own: a loop that waited for it would not answer within the 5 s timeout.
        #expect(slowest < 5_000)
        #expect(answeredWhileHeld == 0, "a write was answered before its record was durable")
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 404 }, "\(statuses)")
        #expect(records.count == 4)
        #expect(records.first?["requestId"] as? String == "held-0")
        // One flush for the first record, one for the three queued behind it.
        #expect(gate.flushCount == 2)
    }

    /// A full disk (`/dev/full` answers every write with ENOSPC): the write fails the way docs/OPERATIONS.md (Audit) describes
    /// (counted in `campaign_gateway_audit_write_failures_total`, an `audit_write_failed` error line, the caller
    /// still gets Kore.ai's answer), and nothing else stalls.
    @Test func aFullDiskFailsTheRecordCountsItAndStallsNothing() async throws {
        var options = GatewayHarness.Options()
        options.auditPath = "/dev/full"
        let h = try GatewayHarness(options)
        let delete = try await h.send("DELETE", "/campaigns/voice/\(Samples.v1VoiceDelete)", key: GatewayHarness.apiKeys["v1only"],
                                      headers: ["X-Request-Id": "disk-full-1"])
        let health = try await h.send("GET", "/healthz", key: nil)
        let metrics = try await h.send("GET", "/metrics", key: nil)
        await h.stop()
        #expect(delete.status == 200)
        #expect(health.status == 200)
        #expect(metrics.text.contains("campaign_gateway_audit_write_failures_total 1\n"))
        #expect(h.logLines.text.contains("\"event\":\"audit_write_failed\""))
        #expect(h.logLines.text.contains("\"requestId\":\"disk-full-1\""))
    }
}

final class AnsweredCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .releasing) }
    var value: Int { count.load(ordering: .acquiring) }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
