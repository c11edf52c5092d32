import HTTPCore
import TextCoding
/// Serialises a response head and body into one buffer. The server owns framing and connection management:
/// `Content-Length`, `Transfer-Encoding`, `Connection` and `Date` from the handler are replaced, and fields whose
/// name is not a token or whose value holds CR, LF or NUL are dropped (response splitting).
public enum HTTPResponseEncoder {
    /// The interim response sent before reading a body announced with `Expect: 100-continue` (RFC 9110 10.1.1).
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    public static func encode(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8]) -> [UInt8] {
        let (head, sendsBody) = encodeHead(response, context: context, date: date)
        return sendsBody ? head + response.body : head
    }

    /// The head alone, and whether `response.body` follows it on the wire: the connection writes the two with one
    /// gathering write instead of copying the body behind the head.
    public static func encodeHead(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8]) -> (head: [UInt8], sendsBody: Bool) {
        var out: [UInt8] = []
        let sendsBody = encodeHead(response, context: context, date: date, into: &out)
        return (out, sendsBody)
    }

    /// The head appended to `out` (a connection passes the buffer it reuses for every answer, so a head costs no
    /// allocation once the buffer has grown); returns whether `response.body` follows it on the wire.
    public static func encodeHead(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8],
                                  into out: inout [UInt8]) -> Bool {
        let status = (100...999).contains(response.status) ? response.status : 500
        // RFC 9110 6.4.1: 1xx, 204 and 304 never carry content; HEAD gets the headers only.
        let bodyAllowed = status >= 200 && status != 204 && status != 304
        let sendsBody = bodyAllowed && !context.isHEAD && !response.body.isEmpty
        out.reserveCapacity(out.count + 128 + response.headers.count * 40)

        append(&out, "HTTP/1.1 ")
        appendDecimal(status, to: &out)
        out.append(HTTPByteClass.space)
        append(&out, HTTPStatusReason.phrase(status))
        crlf(&out)
        for field in response.headers {
            // Each name and value read once on its contiguous bytes: checked, then copied.
            var name = field.name, value = field.value
            name.withUTF8 { name in
                value.withUTF8 { value in
                    guard isWritable(name: name, value: value) else { return }
                    out.append(contentsOf: name)
                    out.append(HTTPByteClass.colon)
                    out.append(HTTPByteClass.space)
                    out.append(contentsOf: value)
                    crlf(&out)
                }
            }
        }
        if !date.isEmpty {
            append(&out, "Date: ")
            out.append(contentsOf: date)
            crlf(&out)
        }
        if bodyAllowed {
            append(&out, "Content-Length: ")
            appendDecimal(response.body.count, to: &out)
            crlf(&out)
        }
        if context.close {
            append(&out, "Connection: close\r\n")
        } else if context.confirmKeepAlive {
            append(&out, "Connection: keep-alive\r\n")
        }
        crlf(&out)
        return sendsBody
    }

    /// The decimal digits of `n` (>= 0) without a String in between.
    static func appendDecimal(_ n: Int, to out: inout [UInt8]) {
        var divisor = 1
        while divisor <= n / 10 { divisor *= 10 }  // divisor * 10 <= n: cannot overflow
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8((n / divisor) % 10))
            divisor /= 10
        }
    }

    /// Not server-owned, the name a token, the value free of CR, LF and NUL (the value eight bytes at a time).
    @inline(__always)
    static func isWritable(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !name.isEmpty, !isServerOwned(UnsafeRawBufferPointer(name)) else { return false }
        for b in name where !HTTPByteClass.isToken(b) { return false }
        var i = 0
        if let base = value.baseAddress {
            while i + 8 <= value.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if ByteScan.hasByte(w, HTTPByteClass.cr) | ByteScan.hasByte(w, HTTPByteClass.lf) | ByteScan.hasByte(w, 0) != 0 {
                    break
                }
                i += 8
            }
        }
        while i < value.count {
            let b = value[i]
            if b == HTTPByteClass.cr || b == HTTPByteClass.lf || b == 0 { return false }
            i += 1
        }
        return true
    }

    /// The length picks the one candidate to compare.
    static func isServerOwned(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch bytes.count {
        case 4: return HTTPByteClass.equalsLowercase(bytes, "date")
        case 10: return HTTPByteClass.equalsLowercase(bytes, "connection")
        case 14: return HTTPByteClass.equalsLowercase(bytes, "content-length")
        case 17: return HTTPByteClass.equalsLowercase(bytes, "transfer-encoding")
        default: return false
        }
    }

    /// A native string's bytes are copied in one go; appending the UTF-8 view walks it byte by byte.
    @inline(__always)
    private static func append(_ out: inout [UInt8], _ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: s.utf8)
        }
    }

    @inline(__always)
    private static func crlf(_ out: inout [UInt8]) {
        out.append(HTTPByteClass.cr)
        out.append(HTTPByteClass.lf)
    }
}
