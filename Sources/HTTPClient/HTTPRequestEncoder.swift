import HTTPCore
import TextCoding

/// Serialises a request into the one buffer that is written: request line, `Host`, the caller's fields, the
/// client's framing fields, body.
enum HTTPRequestEncoder {
    /// Fields the client writes itself; a caller's copy is dropped. Compared as bytes, ASCII-case-insensitively
    /// (a lowercased copy of every name was a String allocation per header per request).
    static func isReserved(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { isReserved(UnsafeRawBufferPointer($0)) }
    }

    /// The length picks the one or two names to compare.
    static func isReserved(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch bytes.count {
        case 2: return HTTPByteClass.equalsLowercase(bytes, "te")
        case 4: return HTTPByteClass.equalsLowercase(bytes, "host")
        case 7: return HTTPByteClass.equalsLowercase(bytes, "upgrade")
        case 10: return HTTPByteClass.equalsLowercase(bytes, "connection") || HTTPByteClass.equalsLowercase(bytes, "keep-alive")
        case 14: return HTTPByteClass.equalsLowercase(bytes, "content-length")
        case 15: return HTTPByteClass.equalsLowercase(bytes, "accept-encoding")
        case 16: return HTTPByteClass.equalsLowercase(bytes, "proxy-connection")
        case 17: return HTTPByteClass.equalsLowercase(bytes, "transfer-encoding")
        default: return false
        }
    }

    /// Every byte a field value may hold (`HTTPByteClass.isFieldValue`: HTAB, SP, VCHAR, obs-text), eight bytes at
    /// a time: a word without a byte below 0x20 or a DEL needs no closer look (the token's few hundred bytes are
    /// most of a request's head).
    static func isFieldValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if ByteScan.hasByteBelow(w, 0x20) | ByteScan.hasByte(w, 0x7F) != 0 { break }
                i += 8
            }
        }
        while i < bytes.count {
            guard HTTPByteClass.isFieldValue(bytes[i]) else { return false }
            i += 1
        }
        return true
    }

    static func isToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for b in bytes where !HTTPByteClass.isToken(b) { return false }
        return true
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

    /// nil when the target is not writable, a header name is not a token or a value holds CR, LF or another control
    /// byte: such a request is never written (it could split into two requests on the wire). Every part is read on
    /// its contiguous bytes, checked and copied in one pass; the buffer is sized once for the whole head and body.
    static func encode(_ request: HTTPClientRequest) -> [UInt8]? {
        let target = request.target
        guard target.isWritable else { return nil }
        var size = 128 + request.method.utf8.count + target.pathAndQuery.utf8.count + target.host.utf8.count
            + (request.body?.count ?? 0)
        for (name, value) in request.headers { size += name.utf8.count + value.utf8.count + 4 }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        var method = request.method
        guard method.withUTF8({ method in
            guard isToken(method) else { return false }
            out.append(contentsOf: method)
            return true
        }) else { return nil }
        out.append(HTTPByteClass.space)
        var pathAndQuery = target.pathAndQuery
        pathAndQuery.withUTF8 { out.append(contentsOf: $0) }
        append(" HTTP/1.1\r\nHost: ", to: &out)
        target.appendHostHeader(to: &out)
        append("\r\n", to: &out)
        for field in request.headers {
            var name = field.name, value = field.value
            let written = name.withUTF8 { name -> Bool in
                if isReserved(UnsafeRawBufferPointer(name)) { return true }
                guard isToken(name) else { return false }
                return value.withUTF8 { value -> Bool in
                    guard isFieldValue(value) else { return false }
                    out.append(contentsOf: name)
                    out.append(HTTPByteClass.colon)
                    out.append(HTTPByteClass.space)
                    out.append(contentsOf: value)
                    out.append(HTTPByteClass.cr)
                    out.append(HTTPByteClass.lf)
                    return true
                }
            }
            guard written else { return nil }
        }
        // Never a compressed answer: the client does not decompress, and refuses one that comes anyway.
        append("Accept-Encoding: identity\r\n", to: &out)
        if let body = request.body {
            append("Content-Length: ", to: &out)
            appendDecimal(body.count, to: &out)
            append("\r\n\r\n", to: &out)
            out.append(contentsOf: body)
        } else {
            if request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
                append("Content-Length: 0\r\n", to: &out)
            }
            append("\r\n", to: &out)
        }
        return out
    }

    @inline(__always)
    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `CONNECT host:port HTTP/1.1` for a tunnel through an egress proxy, with the proxy's credentials if any.
    static func connect(_ target: HTTPRequestTarget, credentials: ProxyCredentials?) -> [UInt8] {
        let authority = target.authorityWithPort
        let authorization = credentials.map { "Proxy-Authorization: \($0.basicAuthorization)\r\n" } ?? ""
        return Array("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\(authorization)\r\n".utf8)
    }
}
