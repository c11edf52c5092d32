import Foundation
import Gateway
import Glibc
import Testing

/// Standard output that nobody reads (a full pipe) must not slow the gateway down: lines beyond the log queue's
/// bound are dropped and counted, and every request is still answered.
@Suite(.serialized) struct LogDropEndToEndTests {
    @Test func linesAreDroppedAndCountedWhenStdoutIsAPipeNobodyReads() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        // 16 KiB of queue on top of the pipe's 64 KiB: a few hundred request lines fit, the rest must be dropped.
        let logs = LogSink(minimumLevel: .info, fileDescriptor: fds[1], capacityBytes: 16 * 1024)
        var options = GatewayHarness.Options()
        options.logs = logs
        let h = try GatewayHarness(options)

        let load = RawHTTPLoad(port: h.port, timeoutSeconds: 10)
        let requests = 2_000
        var statuses: [Int?] = []
        for _ in 0..<(requests / 50) {
            let batch = await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<50 { group.addTask { await load.exchange(RawHTTPLoad.get("/healthz")).status } }
                var out: [Int?] = []
                for await status in group { out.append(status) }
                return out
            }
            statuses += batch
        }
        let metrics = await load.exchange(RawHTTPLoad.get("/metrics"))
        load.stop()
        let droppedAtScrape = metrics.body.split(separator: "\n")
            .first { $0.hasPrefix("campaign_gateway_log_lines_dropped_total ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }

        // Now read the pipe dry while the writer catches up: what it wrote plus what it dropped is everything.
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        var written = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        var idleRounds = 0
        while idleRounds < 20 {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n > 0 {
                written += buffer[0..<n].filter { $0 == 0x0A }.count
                idleRounds = 0
            } else {
                idleRounds += 1
                logs.flush(seconds: 0.01)
            }
        }
        await h.stop()
        close(fds[1])

        print("stdout nobody reads: \(requests) requests answered \(statuses.filter { $0 == 200 }.count), log lines written \(written), dropped \(logs.droppedLines)")
        #expect(statuses.count == requests && statuses.allSatisfy { $0 == 200 }, "\(Set(statuses.map { String(describing: $0) }))")
        #expect(metrics.status == 200)
        #expect((droppedAtScrape ?? 0) > 0, "campaign_gateway_log_lines_dropped_total missing or 0")
        #expect(logs.droppedLines >= droppedAtScrape ?? 0)
        // One line per request, the /metrics request's and the start-up line: none lost without being counted.
        #expect(written + logs.droppedLines == requests + 2)
    }
}
