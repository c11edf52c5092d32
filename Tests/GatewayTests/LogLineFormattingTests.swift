import Foundation
@testable import Gateway
import HTTPServer
import JSONCore
import Testing

/// The log and audit `time` is formatted by hand; Foundation's ISO 8601 formatter is the reference.
@Suite struct WallClockTimeTests {
    @Test func formatsLikeFoundationsISO8601FormatterInUTC() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        // The epoch, a leap day, the end of a year, the far side of 2038, and random moments up to the year 2200.
        var seconds = [0, 951_782_400, 1_704_067_199, 2_147_483_648, 4_102_444_799]
        for _ in 0..<500 { seconds.append(Int.random(in: 0..<7_258_118_400, using: &generator)) }
        for second in seconds {
            let millis = Int.random(in: 0..<1000, using: &generator)
            let time = WallClockTime(seconds: second, nanoseconds: millis * 1_000_000 + 999)
            let reference = formatter.string(from: Date(timeIntervalSince1970: Double(second) + Double(millis) / 1000 + 0.0000001))
            #expect(time.iso8601 == reference)
        }
        #expect(WallClockTime(seconds: 0, nanoseconds: 0).iso8601 == "1970-01-01T00:00:00.000Z")
    }
}

/// The request log line is written straight to bytes; it must be exactly the JSON object's serialization.
@Suite struct RequestLogLineTests {
    @Test func theLineIsTheObjectWrittenByJSONWriter() throws {
        let time = WallClockTime(seconds: 1_764_000_000, nanoseconds: 5_000_000)
        var bare = RequestLogRecord(requestId: "r-1", method: "GET", route: "/healthz")
        bare.status = 200
        bare.gatewaySeconds = 0.000_42
        var full = RequestLogRecord(requestId: "id with \"quotes\" \\ and\ncontrol \u{01}", method: "PUT", route: "/campaigns/{type}/{id}")
        full.status = 502
        full.traceId = "4bf92f3577b34da6a3ce929d0e0e4736"
        full.spanId = "00f067aa0ba902b7"
        full.client = "app ✓"
        full.tenant = "v1"
        full.operation = "update"
        full.campaignType = "voice"
        full.campaignId = "cd-1"
        full.upstreamVersion = "v1"
        full.upstreamStatus = 503
        full.upstreamAttempts = 3
        full.readFirstStatus = 200
        full.readFirstAttempts = 1
        full.errorCode = "upstream_unavailable"
        full.gatewaySeconds = 1.234_567
        full.upstreamSeconds = 1.2
        full.dryRun = true
        full.idempotentReplay = true
        // The ids set above take precedence over the context's (the line without them is tested below).
        full.trace = TraceContext.from(HTTPHeaders())
        // A field added to the record and left out here would be compared on neither form: every optional is set.
        let unset = Mirror(reflecting: full).children.filter { "\($0.value)" == "nil" }.compactMap(\.label)
        #expect(unset.isEmpty, "set these in `full` so both forms are compared on them: \(unset)")
        for record in [bare, full] {
            let expected = JSONWriter.write(record.json(time: time)) + [0x0A]
            #expect(String(decoding: record.line(time: time), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    /// The line's time keeps the last second's calendar text: a second that repeats, changes, or comes back after
    /// another still gives the time `iso8601` spells, milliseconds included.
    @Test func theTimeIsRightWhenASecondRepeatsChangesOrComesBack() {
        let record = RequestLogRecord(requestId: "r-1", method: "GET", route: "/healthz")
        for seconds in [1_764_000_000, 1_764_000_000, 1_764_000_001, 1_764_000_000, 4_102_444_799, 0, 0] {
            for millis in [0, 5, 999, 42] {
                let time = WallClockTime(seconds: seconds, nanoseconds: millis * 1_000_000 + 7)
                let expected = JSONWriter.write(record.json(time: time)) + [0x0A]
                #expect(String(decoding: record.line(time: time), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            }
        }
    }

    /// A record's trace ids read from its `TraceContext` are copied into the line as bytes; the line is still the
    /// object's serialization, whose ids are the context's strings: for a trace the gateway starts, one it
    /// continues, one made by the public initializer (ids with bytes that need escaping), and ids set over a context.
    @Test func idsFromTheTraceContextAreTheContextsIds() throws {
        let time = WallClockTime(seconds: 1_764_000_000, nanoseconds: 5_000_000)
        let continued = HTTPHeaders([("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])
        let contexts = [
            TraceContext.from(HTTPHeaders()),
            TraceContext.from(HTTPHeaders(), random: { [UInt8](repeating: 0, count: $0) }),
            TraceContext.from(continued),
            TraceContext(traceId: "t \"x\" \u{01}", spanId: "s✓", parentSpanId: nil, flags: "01", state: nil),
        ]
        for context in contexts {
            var record = RequestLogRecord(requestId: "r-1", method: "GET", route: "/healthz")
            record.status = 200
            record.trace = context
            #expect(record.traceId == context.traceId && record.spanId == context.spanId)
            let expected = JSONWriter.write(record.json(time: time)) + [0x0A]
            #expect(String(decoding: record.line(time: time), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            let line = try JSONReader.parse(record.line(time: time))
            #expect(line["traceId"] == .string(context.traceId) && line["spanId"] == .string(context.spanId))
            record.spanId = "own"
            #expect(line["traceId"] == .string(context.traceId))
            let overridden = try JSONReader.parse(record.line(time: time))
            #expect(overridden["traceId"] == .string(context.traceId) && overridden["spanId"] == .string("own"))
        }
        // A context the gateway makes has ids of 32 and 16 lowercase hex digits, read from its traceparent.
        let made = TraceContext.from(HTTPHeaders())
        #expect(made.traceparent == "00-\(made.traceId)-\(made.spanId)-01")
        #expect(made.traceId.utf8.count == 32 && made.spanId.utf8.count == 16)
        #expect(made.traceId.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    }

    /// The handler's record copies its request id and route without the escaper's scan, and writes the usual
    /// methods as constants: text that changed after the record was made, a method of the caller's own, and trace
    /// ids given to the public initializer are still escaped, the line still the object's serialization.
    @Test func fieldsCopiedWithoutEscapingAreOnlyTheHandlersOwn() throws {
        let time = WallClockTime(seconds: 1_764_000_000, nanoseconds: 5_000_000)
        let odd = "a\"b\\c\u{01}\u{7F}✓"
        var records: [RequestLogRecord] = []
        for method in ["GET", "HEAD", "PUT", "DELETE", "POST", "PATCH", "OPTIONS", odd] {
            var record = RequestLogRecord(handlerRequestId: "0123456789abcdef01234567", method: method, route: "/campaigns/{type}/{id}")
            record.status = 200
            record.trace = TraceContext.from(HTTPHeaders())
            records.append(record)
        }
        var changedId = RequestLogRecord(handlerRequestId: "r-1", method: "GET", route: "/healthz")
        changedId.requestId = odd
        var changedRoute = RequestLogRecord(handlerRequestId: "r-1", method: "GET", route: "/healthz")
        changedRoute.route = odd
        var oddTrace = RequestLogRecord(handlerRequestId: "r-1", method: "GET", route: "/healthz")
        oddTrace.trace = TraceContext(traceId: odd, spanId: odd, parentSpanId: nil, flags: "01", state: nil)
        records += [changedId, changedRoute, oddTrace]
        for record in records {
            let expected = JSONWriter.write(record.json(time: time)) + [0x0A]
            #expect(String(decoding: record.line(time: time), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            let parsed = try JSONReader.parse(record.line(time: time))
            #expect(parsed["requestId"] == .string(record.requestId) && parsed["route"] == .string(record.route)
                && parsed["method"] == .string(record.method) && parsed["traceId"] == record.traceId.map(JSONValue.string))
        }
    }

    /// Short strings are checked as words and copied without the escaper when nothing needs escaping: for every
    /// length up to 40 and every position, a quote, a backslash, a control byte, DEL, and bytes that need none
    /// (non-ASCII, space, `~`, `/`) give the line the object's serialization.
    @Test func shortStringsNeedingEscapingAreEscapedAtEveryLengthAndPosition() {
        let time = WallClockTime(seconds: 1_764_000_000, nanoseconds: 5_000_000)
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x01, 0x0A, 0x1F, 0x7F, 0x20, 0x7E, 0x2F, 0x80, 0xC3]
        for length in 0...40 {
            var values = [String(repeating: "a", count: length)]
            for position in 0..<length {
                for special in specials {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = special
                    // 0xC3 starts a two-byte character: followed by a continuation byte where there is room.
                    if special == 0xC3 && position + 1 < length { bytes[position + 1] = 0xA9 }
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            for value in values {
                var record = RequestLogRecord(requestId: "r", method: "GET", route: "/healthz")
                record.client = value
                record.tenant = value
                let expected = JSONWriter.write(record.json(time: time)) + [0x0A]
                #expect(record.line(time: time) == expected, "\(Array(value.utf8))")
            }
        }
    }

    /// The writer moves short pieces as overlapping words: every length from 0 to 64 arrives whole, and nothing
    /// is written before or after it.
    @Test func piecesOfEveryLengthAreCopiedExactly() {
        let source = (0..<64).map { UInt8(0x20 + $0) }
        for count in 0...64 {
            let copied = [UInt8](unsafeUninitializedCapacity: 80) { out, written in
                out.initialize(repeating: 0xEE)
                source.withUnsafeBytes { bytes in
                    if let from = bytes.baseAddress, let to = out.baseAddress {
                        LogLineWriter.copy(from, count: count, to: UnsafeMutableRawPointer(to + 8))
                    }
                }
                written = 80
            }
            #expect(Array(copied[8..<(8 + count)]) == Array(source[0..<count]), "\(count)")
            #expect(copied[0..<8].allSatisfy { $0 == 0xEE } && copied[(8 + count)...].allSatisfy { $0 == 0xEE }, "\(count)")
        }
    }

    /// The line sizes its buffer once: the longest fields it can hold (every byte escaped six-fold, the widest
    /// numbers, every optional field) must still come out whole and equal to the object's serialization.
    @Test func theLongestLineFitsItsBuffer() {
        let control = String(repeating: "\u{01}", count: 300)
        var record = RequestLogRecord(requestId: control, method: control, route: control)
        record.status = Int.min
        record.traceId = control
        record.spanId = control
        record.client = control
        record.tenant = control
        record.operation = control
        record.campaignType = control
        record.campaignId = control
        record.upstreamVersion = control
        record.errorCode = control
        record.upstreamStatus = Int.min
        record.upstreamAttempts = Int.max
        record.readFirstStatus = Int.min
        record.gatewaySeconds = -8e9
        record.upstreamSeconds = 8e9
        record.dryRun = true
        record.idempotentReplay = true
        let time = WallClockTime(seconds: 253_402_300_799, nanoseconds: 999_999_999)
        let expected = JSONWriter.write(record.json(time: time)) + [0x0A]
        #expect(String(decoding: record.line(time: time), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        var empty = RequestLogRecord(requestId: "", method: "", route: "")
        empty.gatewaySeconds = .nan
        #expect(empty.line(time: time) == JSONWriter.write(empty.json(time: time)) + [0x0A])
    }

    /// The line writes the time itself; over many moments it is the text `iso8601` gives.
    @Test func theLinesTimeIsTheISO8601Text() {
        var generator = SystemRandomNumberGenerator()
        var record = RequestLogRecord(requestId: "r", method: "GET", route: "/healthz")
        record.status = 200
        for _ in 0..<300 {
            let time = WallClockTime(seconds: Int.random(in: 0..<7_258_118_400, using: &generator),
                                     nanoseconds: Int.random(in: 0..<1_000_000_000, using: &generator))
            #expect(record.line(time: time) == JSONWriter.write(record.json(time: time)) + [0x0A])
        }
    }
}
