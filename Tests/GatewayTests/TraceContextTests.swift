@testable import Gateway
import GatewayCrypto
import HTTPServer
import Testing
import TestSupport

/// W3C Trace Context as the gateway reads it: a well-formed caller's trace is continued under a span of the
/// gateway's own, anything malformed is replaced by a new trace (never repaired), and `tracestate` travels only
/// with a valid `traceparent` and only when every member is well formed.
@Suite struct TraceContextTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parent = "00f067aa0ba902b7"
    static let valid = "00-\(trace)-\(parent)-01"

    /// Random bytes 0x11, 0x12, ... so the new ids are known.
    static func counting(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(0x11 + $0) } }

    static func context(_ fields: [(String, String)]) -> TraceContext {
        var headers = HTTPHeaders()
        for (name, value) in fields { headers.add(name, value) }
        return TraceContext.from(headers, random: counting)
    }

    @Test func aWellFormedTraceIsContinuedUnderTheGatewaysOwnSpan() {
        let context = Self.context([("traceparent", Self.valid), ("tracestate", "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE")])
        #expect(context.traceId == Self.trace)
        #expect(context.parentSpanId == Self.parent)
        #expect(context.spanId == "1112131415161718")
        #expect(context.flags == "01")
        #expect(context.traceparent == "00-\(Self.trace)-1112131415161718-01")
        #expect(context.state == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        #expect(Self.context([("traceparent", "00-\(Self.trace)-\(Self.parent)-00")]).flags == "00")
    }

    @Test func aLaterVersionIsReadForItsFourKnownFields() {
        let later = Self.context([("traceparent", "cc-\(Self.trace)-\(Self.parent)-09-what-the-future-adds")])
        #expect(later.traceId == Self.trace && later.parentSpanId == Self.parent)
        #expect(later.flags == "01", "only the sampled bit is known")
        #expect(later.traceparent.hasPrefix("00-"))
        #expect(Self.context([("traceparent", "01-\(Self.trace)-\(Self.parent)-00")]).traceId == Self.trace)
    }

    @Test(arguments: [
        "00-\(trace)-\(parent)-01-extra",                     // version 00 is exactly 55 characters
        "00-\(trace.uppercased())-\(parent)-01",              // uppercase hex
        "00-\(trace)-\(parent.uppercased())-01",
        "00-\(trace)-\(parent)-0G",                           // flags not hex
        "ff-\(trace)-\(parent)-01",                           // version ff is invalid
        "0-\(trace)-\(parent)-01",                            // short version
        "00-00000000000000000000000000000000-\(parent)-01",   // all-zero trace id
        "00-\(trace)-0000000000000000-01",                    // all-zero parent id
        "00_\(trace)_\(parent)_01",                           // wrong separators
        "00-\(trace)-\(parent)",                              // no flags
        "cc-\(trace)-\(parent)-01x",                          // a later version's extra part must follow a dash
        " 00-\(trace)-\(parent)-0",
        "",
        "00-\(trace)-\(parent)-01\u{0}",
    ])
    func aMalformedTraceparentIsReplacedAndItsStateDropped(_ value: String) {
        let context = Self.context([("traceparent", value), ("tracestate", "rojo=00f067aa0ba902b7")])
        #expect(context.traceId == "1112131415161718191a1b1c1d1e1f20", "\(value) was not replaced")
        #expect(context.spanId == "2122232425262728")
        #expect(context.parentSpanId == nil && context.state == nil && context.flags == "01")
    }

    @Test func twoTraceparentFieldsAreNotTrusted() {
        let context = Self.context([("traceparent", Self.valid), ("traceparent", "00-\(Self.trace)-1111111111111111-01")])
        #expect(context.traceId != Self.trace && context.parentSpanId == nil)
    }

    @Test func withoutATraceparentANewTraceStartsAndAStateAloneIsIgnored() {
        let context = Self.context([("tracestate", "rojo=00f067aa0ba902b7")])
        #expect(context.traceId == "1112131415161718191a1b1c1d1e1f20" && context.spanId == "2122232425262728")
        #expect(context.parentSpanId == nil && context.state == nil && context.flags == "01")
        // All-zero random bytes still make valid (non-zero) ids.
        let zeros = TraceContext.from(HTTPHeaders(), random: { [UInt8](repeating: 0, count: $0) })
        #expect(zeros.traceId == "00000000000000000000000000000001" && zeros.spanId == "0000000000000001")
        #expect(TraceContext.parseTraceparent(zeros.traceparent) != nil)
        // A source that gives fewer bytes than asked for: the rest count as zeros.
        let short = TraceContext.from(HTTPHeaders(), random: { _ in [0xAB] })
        #expect(short.traceparent == "00-ab000000000000000000000000000000-0000000000000001-01")
    }

    @Test func tracestateMembersAreCheckedOneByOne() {
        func state(_ fields: String...) -> String? { TraceContext.checkedTracestate(fields) }
        #expect(state("a=1", "b=2") == "a=1,b=2", "fields are one list")
        #expect(state("a=1,,\t b=2 ,") == "a=1,b=2", "empty members and whitespace around members are skipped")
        #expect(state("tenant@vendor=x", "k_-*/9=v w") == "tenant@vendor=x,k_-*/9=v w")
        #expect(state("") == nil && state(" , ") == nil)
        for bad in ["A=1", "1a=1", "a=", "a=x,y", "a=b=c", "a", "=1", "a=\u{7F}", "a=é", "t@V=1", "@v=1", "t@=1",
                    "a=1,a=2", String(repeating: "k", count: 257) + "=1", "k=" + String(repeating: "v", count: 257)] {
            #expect(state("ok=1", bad) == nil, "\(bad) was accepted")
        }
        let thirtyTwo = (0..<32).map { "k\($0)=v" }.joined(separator: ",")
        #expect(state(thirtyTwo) == thirtyTwo)
        #expect(state(thirtyTwo + ",k32=v") == nil, "more than 32 members")
    }

    @Test func aLongTracestateLosesItsLongMembersFirstThenMembersFromTheEnd() throws {
        let long = "long=" + String(repeating: "x", count: 200)
        let shorts = (0..<30).map { "s\($0)=" + String(repeating: "y", count: 20) }
        let kept = try #require(TraceContext.checkedTracestate([([long] + shorts).joined(separator: ",")]))
        #expect(!kept.contains("long="))
        #expect(kept.utf8.count <= 512)
        #expect(kept.hasPrefix("s0=") && !kept.contains("s29="), "members from the end go: \(kept)")
        #expect(kept == shorts.prefix(kept.split(separator: ",").count).joined(separator: ","))
    }
}

/// The request id and the trace drawn together: each is what it would be drawn alone.
@Suite struct RequestIdentityTests {
    /// The hex written four bytes a step is `Hex.encode`'s, for every length and byte value, and a new trace's
    /// `traceparent` is its bytes' hex, an all-zero id given a last byte of 1.
    @Test func hexFourBytesAStepIsHexEncodeAndANewTraceIsItsBytes() {
        var generator = SeededGenerator(seed: 7)
        var samples: [[UInt8]] = [Array(0...255), [UInt8](repeating: 0, count: 24), [UInt8](repeating: 0xFF, count: 24)]
        for length in 0..<41 { samples.append((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }) }
        for bytes in samples {
            let written = bytes.withUnsafeBytes { SecureRandom.lowercaseHex($0) }
            #expect(written == Hex.encode(bytes), "\(bytes)")
        }
        var zeroTrace = (0..<24).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for i in 0..<16 { zeroTrace[i] = 0 }
        var zeroSpan = (0..<24).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for i in 16..<24 { zeroSpan[i] = 0 }
        for bytes in samples.filter({ $0.count >= 24 }) + [zeroTrace, zeroSpan] {
            var fixed = Array(bytes.prefix(24))
            if fixed[0..<16].allSatisfy({ $0 == 0 }) { fixed[15] = 1 }
            if fixed[16..<24].allSatisfy({ $0 == 0 }) { fixed[23] = 1 }
            let trace = bytes.withUnsafeBufferPointer { TraceContext.newTrace($0) }
            #expect(trace.traceparent == "00-\(Hex.encode(fixed[0..<16]))-\(Hex.encode(fixed[16..<24]))-01")
        }
        let short = [UInt8](repeating: 0xAB, count: 5).withUnsafeBufferPointer { TraceContext.newTrace($0) }
        #expect(short.traceparent == "00-ababababab0000000000000000000000-0000000000000001-01")
    }

    @Test func aNewIdAndANewTraceComeFromOneDrawAndKeepTheirShapes() {
        let hex: (String) -> Bool = { $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } }
        let (first, firstTrace) = RequestID.withTrace(HTTPHeaders())
        let (second, secondTrace) = RequestID.withTrace(HTTPHeaders())
        #expect(first.utf8.count == 24 && hex(first) && second.utf8.count == 24 && hex(second) && first != second)
        #expect(firstTrace.traceId.utf8.count == 32 && hex(firstTrace.traceId) && firstTrace.spanId.utf8.count == 16)
        #expect(firstTrace.traceparent == "00-\(firstTrace.traceId)-\(firstTrace.spanId)-01" && firstTrace.parentSpanId == nil)
        #expect(firstTrace.traceId != secondTrace.traceId && !first.contains(firstTrace.traceId.prefix(24)))
        // A caller's sane id and well-formed trace are kept, each with the other new.
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let (kept, newTrace) = RequestID.withTrace(HTTPHeaders([("X-Request-Id", "caller-1")]))
        #expect(kept == "caller-1" && newTrace.parentSpanId == nil && newTrace.traceId.utf8.count == 32)
        let (newId, continued) = RequestID.withTrace(HTTPHeaders([("X-Request-Id", "bad id"), ("traceparent", parent)]))
        #expect(newId.utf8.count == 24 && hex(newId))
        #expect(continued.traceId == "4bf92f3577b34da6a3ce929d0e0e4736" && continued.parentSpanId == "00f067aa0ba902b7")
    }
}
