#if canImport(Glibc)
import Glibc
#endif
/// Methods and field names requests usually carry, as string literals: a request's token that is exactly one of
/// them (same bytes, same case) shares the literal instead of being made, validated and later freed as a new
/// string. Anything else is made from its bytes as before, so a request reads the same either way.
enum HTTPKnownTokens {
    static func method(_ bytes: UnsafeRawBufferPointer) -> String? {
        switch bytes.count {
        case 3:
            if matches(bytes, "GET") { return "GET" }
            if matches(bytes, "PUT") { return "PUT" }
        case 4:
            if matches(bytes, "POST") { return "POST" }
            if matches(bytes, "HEAD") { return "HEAD" }
        case 6:
            if matches(bytes, "DELETE") { return "DELETE" }
        default:
            break
        }
        return nil
    }

    static func fieldName(_ bytes: UnsafeRawBufferPointer) -> String? {
        switch bytes.count {
        case 4: if matches(bytes, "Host") { return "Host" }
        case 6: if matches(bytes, "Accept") { return "Accept" }
        case 8:
            if matches(bytes, "X-Tenant") { return "X-Tenant" }
            if matches(bytes, "If-Match") { return "If-Match" }
        case 10:
            if matches(bytes, "User-Agent") { return "User-Agent" }
            if matches(bytes, "Connection") { return "Connection" }
        case 11: if matches(bytes, "traceparent") { return "traceparent" }
        case 12:
            if matches(bytes, "Content-Type") { return "Content-Type" }
            if matches(bytes, "X-Request-Id") { return "X-Request-Id" }
        case 13: if matches(bytes, "Authorization") { return "Authorization" }
        case 14: if matches(bytes, "Content-Length") { return "Content-Length" }
        case 15:
            if matches(bytes, "Accept-Encoding") { return "Accept-Encoding" }
            if matches(bytes, "Idempotency-Key") { return "Idempotency-Key" }
        default: break
        }
        return nil
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, literal.utf8Start, bytes.count) == 0
    }
}
