import GatewayCrypto
import HTTPServer

/// `X-Request-Id`: the caller's when it is sane (1-128 of `[A-Za-z0-9._:-]`), else a new random one.
public enum RequestID {
    public static func from(_ headers: HTTPHeaders) -> String {
        if let given = headers["X-Request-Id"], isSane(given) { return given }
        return SecureRandom.hexString(byteCount: 12)
    }

    /// The request's id and its trace context (`TraceContext.from`) together: when both are new (no sane
    /// `X-Request-Id`, no well-formed `traceparent`), their 36 random bytes come from one draw of the identifier
    /// pool instead of two (a lock, a pool check and a copy each).
    static func withTrace(_ headers: HTTPHeaders) -> (requestId: String, trace: TraceContext) {
        let given = headers["X-Request-Id"]
        if let given, isSane(given) { return (given, TraceContext.from(headers)) }
        if let continued = TraceContext.continued(headers, random: SecureRandom.bytes) {
            return (SecureRandom.hexString(byteCount: 12), continued)
        }
        return withUnsafeTemporaryAllocation(byteCount: 36, alignment: 1) { random in
            SecureRandom.fillIdentifier(random)
            let requestId = SecureRandom.lowercaseHex(UnsafeRawBufferPointer(rebasing: random[0..<12]))
            let traceBytes = UnsafeMutableRawBufferPointer(rebasing: random[12..<36]).bindMemory(to: UInt8.self)
            let trace = TraceContext.newTrace(UnsafeBufferPointer(traceBytes))
            return (requestId, trace)
        }
    }

    public static func isSane(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        }
    }
}
