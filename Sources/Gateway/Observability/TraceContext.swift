import GatewayCrypto
import HTTPServer

/// W3C Trace Context for one request: the trace it belongs to and the gateway's own span in it.
///
/// A caller's `traceparent` is taken when it is well formed (version 00 exactly, or a later version's first four
/// fields; lowercase hex; no all-zero ids; one header only), and its `tracestate` with it when that is well formed
/// too. Anything else is replaced, never repaired: a new trace with no parent and no state. The gateway's span id is
/// always its own. Kore.ai and the caller get `traceparent` with the gateway's span as the parent id; the request log
/// and the audit record carry `traceId` and `spanId`.
public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits, not all zero.
    public var traceId: String { given?.traceId ?? Self.slice(traceparent, Self.traceIdRange) }
    /// The gateway's span: 16 lowercase hex digits, new for every request.
    public var spanId: String { given?.spanId ?? Self.slice(traceparent, Self.spanIdRange) }
    /// The caller's span (the `traceparent` parent id it sent), nil when the gateway started the trace.
    public var parentSpanId: String? { given?.parentSpanId }
    /// Trace flags, 2 lowercase hex digits (`01`: sampled).
    public var flags: String { given?.flags ?? "01" }
    /// The caller's `tracestate`, checked and passed on unchanged (or trimmed to 512 characters as the
    /// specification allows); nil when absent or malformed.
    public var state: String? { given?.state }

    /// What the gateway sends on: version 00, the trace, the gateway's span as the parent, the flags. Made once:
    /// the answer and every upstream call of the request carry it.
    public let traceparent: String

    /// The fields as given to the public initializer (a continued trace, a test's ids), in one box; nil for a trace
    /// the gateway started, whose ids are `traceparent`'s own digits, with flags `01`, no parent and no state. The
    /// context is copied into the log record and handed along the request: for a new trace a copy is one retain,
    /// where six separate fields were six.
    private let given: Given?

    private final class Given: Sendable {
        let traceId: String
        let spanId: String
        let parentSpanId: String?
        let flags: String
        let state: String?

        init(traceId: String, spanId: String, parentSpanId: String?, flags: String, state: String?) {
            self.traceId = traceId
            self.spanId = spanId
            self.parentSpanId = parentSpanId
            self.flags = flags
            self.state = state
        }
    }

    static let traceIdRange = 3..<35
    static let spanIdRange = 36..<52

    public init(traceId: String, spanId: String, parentSpanId: String?, flags: String, state: String?) {
        given = Given(traceId: traceId, spanId: spanId, parentSpanId: parentSpanId, flags: flags, state: state)
        traceparent = "00-" + traceId + "-" + spanId + "-" + flags
    }

    /// A trace the gateway started: `traceparent` is `00-<32 hex>-<16 hex>-01` (55 bytes), its ids read from it.
    private init(newTraceparent traceparent: String) {
        given = nil
        self.traceparent = traceparent
    }

    public static func == (a: TraceContext, b: TraceContext) -> Bool {
        a.traceId == b.traceId && a.spanId == b.spanId && a.parentSpanId == b.parentSpanId && a.flags == b.flags
            && a.state == b.state && a.traceparent == b.traceparent
    }

    private static func slice(_ text: String, _ range: Range<Int>) -> String {
        let utf8 = text.utf8
        guard range.upperBound <= utf8.count else { return "" }
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        return String(Substring(utf8[start..<end]))
    }

    /// The byte counts of `traceId` and `spanId`, without making them.
    var idByteCounts: (traceId: Int, spanId: Int) {
        guard let given else { return (Self.traceIdRange.count, Self.spanIdRange.count) }
        return (given.traceId.utf8.count, given.spanId.utf8.count)
    }

    /// The trace id's and span id's bytes, for a writer that copies them without making strings; `hex` is true when
    /// they are `traceparent`'s own digits (every context the gateway makes: 32 and 16 lowercase hex digits, which
    /// need no escaping), false for ids given to the public initializer, which may hold anything.
    func withIdBytes<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, _ hex: Bool) -> R) -> R {
        // `traceparent` is a native string the gateway made: its bytes are read in place, without a copy.
        if given == nil, let result = traceparent.utf8.withContiguousStorageIfAvailable({ bytes -> R? in
            guard bytes.count >= Self.spanIdRange.upperBound else { return nil }
            return body(UnsafeBufferPointer(rebasing: bytes[Self.traceIdRange]), UnsafeBufferPointer(rebasing: bytes[Self.spanIdRange]), true)
        }), let result {
            return result
        }
        var traceId = self.traceId, spanId = self.spanId
        return traceId.withUTF8 { trace in spanId.withUTF8 { span in body(trace, span, false) } }
    }

    /// The request's context: the caller's trace when its headers are well formed, else a new one, its ids drawn
    /// from the kernel's random source.
    public static func from(_ headers: HTTPHeaders) -> TraceContext {
        from(headers, random: SecureRandom.bytes, newTraceFromKernel: true)
    }

    /// The same with the bytes of new ids from `random` (24 for a new trace and span, 8 for a span alone).
    public static func from(_ headers: HTTPHeaders, random: (Int) -> [UInt8]) -> TraceContext {
        from(headers, random: random, newTraceFromKernel: false)
    }

    private static func from(_ headers: HTTPHeaders, random: (Int) -> [UInt8], newTraceFromKernel: Bool) -> TraceContext {
        if let continued = continued(headers, random: random) { return continued }
        // Drawn on the stack and written as `traceparent`'s hex in one go; the ids are read from it.
        if newTraceFromKernel {
            return withUnsafeTemporaryAllocation(byteCount: 24, alignment: 1) { random in
                SecureRandom.fillIdentifier(random)
                return newTrace(UnsafeBufferPointer(random.bindMemory(to: UInt8.self)))
            }
        }
        return random(24).withUnsafeBufferPointer { newTrace($0) }
    }

    /// The caller's trace, with a new span of the gateway's, when its headers carry a well-formed one; nil when a
    /// new trace is to be started.
    static func continued(_ headers: HTTPHeaders, random: (Int) -> [UInt8]) -> TraceContext? {
        // Counted in place: no array of values for the one field that must appear once.
        let (parent, count) = headers.firstValueAndCount("traceparent")
        guard count == 1, let parent, let parsed = parseTraceparent(parent) else { return nil }
        let span = nonZero(random(8))
        return TraceContext(traceId: parsed.traceId, spanId: Hex.encode(span), parentSpanId: parsed.parentId,
                            flags: parsed.flags, state: checkedTracestate(headers.values(for: "tracestate")))
    }

    /// A trace the gateway starts from random bytes: `traceparent` is made from them in one piece (not four
    /// strings joined), the hex four bytes a step, and the ids are read from it.
    static func newTrace(_ random: UnsafeBufferPointer<UInt8>) -> TraceContext {
        guard random.count >= 24, let source = random.baseAddress else {
            // Fewer than 24 bytes (a test's source) count as zeros.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { copy in
                for i in 0..<24 { copy[i] = i < random.count ? random[i] : 0 }
                return newTrace(UnsafeBufferPointer(copy))
            }
        }
        let bytes = UnsafeRawPointer(source)
        // An all-zero id is invalid; one bit set is enough (see `nonZero`): the last byte of each becomes 1.
        let traceIsZero = bytes.loadUnaligned(as: UInt64.self) | bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == 0
        let spanIsZero = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self) == 0
        let traceparent = String(unsafeUninitializedCapacity: 55) { out in
            guard out.count >= 55, let base = out.baseAddress else { return 0 }
            let target = UnsafeMutableRawPointer(base)
            out[0] = 0x30; out[1] = 0x30; out[2] = 0x2D
            SecureRandom.writeLowercaseHex(UnsafeRawBufferPointer(start: bytes, count: 16), to: target + 3)
            out[35] = 0x2D
            SecureRandom.writeLowercaseHex(UnsafeRawBufferPointer(start: bytes + 16, count: 8), to: target + 36)
            out[52] = 0x2D; out[53] = 0x30; out[54] = 0x31
            // The zero id's last byte, `00`, becomes `01`.
            if traceIsZero { out[34] = 0x31 }
            if spanIsZero { out[51] = 0x31 }
            return 55
        }
        return TraceContext(newTraceparent: traceparent)
    }

    /// An all-zero id is invalid; a random one is all zero once in 2^64 tries at most, so one bit set is enough.
    private static func nonZero(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 == 0 }) else { return bytes }
        var fixed = bytes
        fixed[fixed.count - 1] = 1
        return fixed
    }

    /// `version-traceid-parentid-flags`. Version 00 is exactly 55 characters; a later version (not ff) may carry
    /// more after a `-`, of which only the four known fields are read (and of its flags only the sampled bit).
    static func parseTraceparent(_ value: String) -> (traceId: String, parentId: String, flags: String)? {
        let bytes = Array(value.utf8)
        guard bytes.count >= 55, bytes[2] == 0x2D, bytes[35] == 0x2D, bytes[52] == 0x2D else { return nil }
        let version = bytes[0..<2], trace = bytes[3..<35], parent = bytes[36..<52], flags = bytes[53..<55]
        guard isLowerHex(version), isLowerHex(trace), isLowerHex(parent), isLowerHex(flags) else { return nil }
        let versionText = String(decoding: version, as: UTF8.self)
        if versionText == "ff" { return nil }
        if versionText == "00" {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 && bytes[55] != 0x2D {
            return nil
        }
        guard trace.contains(where: { $0 != 0x30 }), parent.contains(where: { $0 != 0x30 }) else { return nil }
        var flagsText = String(decoding: flags, as: UTF8.self)
        if versionText != "00" { flagsText = (Int(flagsText, radix: 16) ?? 0) & 1 == 1 ? "01" : "00" }
        return (String(decoding: trace, as: UTF8.self), String(decoding: parent, as: UTF8.self), flagsText)
    }

    private static func isLowerHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The most `tracestate` members passed on, and the longest combined value (both from the specification).
    static let maxStateMembers = 32
    static let maxStateLength = 512

    /// The `tracestate` fields joined as one list, every member checked (`key=value`, the specification's key and
    /// value grammars, no key twice, at most 32); nil when empty or when any member is malformed. Longer than 512
    /// characters: members over 128 characters go first, then members from the end, as the specification allows.
    static func checkedTracestate(_ fields: [String]) -> String? {
        var members: [Substring] = []
        var keys = Set<Substring>()
        for field in fields {
            for raw in field.split(separator: ",", omittingEmptySubsequences: false) {
                var text = raw  // optional whitespace around each member
                while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
                while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
                if text.isEmpty { continue }  // empty list members are allowed and skipped
                guard let equals = text.firstIndex(of: "="), isStateKey(text[..<equals]),
                      isStateValue(text[text.index(after: equals)...]) else { return nil }
                guard keys.insert(text[..<equals]).inserted else { return nil }
                members.append(text)
            }
        }
        guard !members.isEmpty, members.count <= maxStateMembers else { return nil }
        func length(_ list: [Substring]) -> Int { list.reduce(0) { $0 + $1.utf8.count } + max(0, list.count - 1) }
        while length(members) > maxStateLength {
            if let long = members.lastIndex(where: { $0.utf8.count > 128 }) { members.remove(at: long) } else { members.removeLast() }
        }
        return members.isEmpty ? nil : members.joined(separator: ",")
    }

    /// `lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/")`, or a tenant id `@` a system id (multi-tenant key).
    static func isStateKey(_ key: Substring) -> Bool {
        func keyChar(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D || b == 0x2A || b == 0x2F
        }
        let bytes = Array(key.utf8)
        if let at = bytes.firstIndex(of: 0x40) {
            let tenant = bytes[..<at], system = bytes[(at + 1)...]
            guard (1...241).contains(tenant.count), (1...14).contains(system.count), let first = tenant.first,
                  let systemFirst = system.first else { return false }
            return ((first >= 0x61 && first <= 0x7A) || (first >= 0x30 && first <= 0x39)) && tenant.allSatisfy(keyChar)
                && systemFirst >= 0x61 && systemFirst <= 0x7A && system.allSatisfy(keyChar)
        }
        guard (1...256).contains(bytes.count), let first = bytes.first, first >= 0x61 && first <= 0x7A else { return false }
        return bytes.allSatisfy(keyChar)
    }

    /// `0*255(chr) nblk-chr`: printable ASCII without `,` and `=`, at most 256 characters, not ending in a space.
    static func isStateValue(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        guard (1...256).contains(bytes.count), bytes.last != 0x20 else { return false }
        return bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x2C && $0 != 0x3D }
    }
}
