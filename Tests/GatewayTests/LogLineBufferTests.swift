import Foundation
@testable import Gateway
import Glibc
import Testing

/// Request lines written straight into the log sink's buffer (`LogLineBuffer`) come out of the descriptor exactly as
/// `RequestLogRecord.line` writes them, whole and in each thread's order, with event lines between them; lines longer
/// than the buffer's first size make it grow without losing what waits in it.
@Suite struct LogLineBufferTests {
    /// A record whose strings need escaping, `size` bytes of campaign id (quotes and a control byte).
    static func record(_ index: Int, thread: Int, size: Int) -> RequestLogRecord {
        var record = RequestLogRecord(requestId: "req-\(thread)-\(index)", method: "DELETE", route: "/campaigns/{type}/{id}")
        record.status = [200, 404, 503][index % 3]
        record.client = "client \"\(thread)\""
        record.campaignId = String(repeating: "\"\u{1}é", count: size / 4 + 1)
        record.upstreamSeconds = index % 2 == 0 ? 0.001 * Double(index) : nil
        record.gatewaySeconds = 0.002 * Double(index)
        record.dryRun = index % 5 == 0
        return record
    }

    /// The line without its time (the time is taken when the line is written).
    static func timeless(_ line: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(line)
        let level = Array("\"level\"".utf8)
        guard let start = (0...max(0, bytes.count - level.count)).first(where: { Array(bytes[$0..<($0 + level.count)]) == level }) else {
            return bytes
        }
        return Array(bytes[start...])
    }

    @Test func linesComeOutWholeInOrderAndAsTheRecordWritesThem() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let reader = fds[0]
        // Read the pipe on a thread of its own while the lines are written, so its buffer never fills.
        let collected = Task.detached { () -> [UInt8] in
            var all: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(reader, &chunk, chunk.count)
                if n <= 0 { return all }
                all += chunk[0..<n]
            }
        }
        let threads = 3, perThread = 60
        do {
            let logs = LogSink(minimumLevel: .info, fileDescriptor: fds[1])
            await withTaskGroup(of: Void.self) { group in
                for thread in 0..<threads {
                    group.addTask {
                        for index in 0..<perThread {
                            // Every 20th line is longer than the buffer's first 4,096 bytes.
                            logs.request(Self.record(index, thread: thread, size: index % 20 == 7 ? 3000 : 40))
                            if index % 25 == 0 { logs.event(.info, "tick", "thread \(thread) at \(index)") }
                        }
                    }
                }
            }
            logs.flush(seconds: 10)
            #expect(logs.droppedLines == 0)
        }
        close(fds[1])
        let output = await collected.value
        let lines = output.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(output.last == 0x0A)
        #expect(lines.count == threads * perThread + threads * 3, "\(lines.count) lines")
        for thread in 0..<threads {
            let mine = lines.filter { line in
                line.starts(with: Array("{\"time\":".utf8)) && Self.timeless(line).starts(with: Array("\"level\"".utf8))
                    && String(decoding: line, as: UTF8.self).contains("\"requestId\":\"req-\(thread)-")
            }
            #expect(mine.count == perThread)
            for (index, line) in mine.enumerated() {
                let expected = Self.record(index, thread: thread, size: index % 20 == 7 ? 3000 : 40).line()
                #expect(String(decoding: Self.timeless(line), as: UTF8.self) == String(decoding: Self.timeless(expected.dropLast()), as: UTF8.self),
                        "thread \(thread) line \(index)")
                #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil)
            }
        }
        let events = lines.filter { String(decoding: $0, as: UTF8.self).contains("\"event\":\"tick\"") }
        #expect(events.count == threads * 3)
    }
}
