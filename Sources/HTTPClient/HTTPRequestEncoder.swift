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

    /// nil when the target is not writable, a header name is not a token or a value holds CR, LF or another control
    /// byte: such a request is never written (it could split into two requests on the wire). Every part is read on
    /// its contiguous bytes, checked and copied in one pass into a buffer sized once for the whole head and body
    /// (`ByteWriter`: a copy is a bounds check and a memcpy, where `Array.append(contentsOf:)` cost about 90
    /// instructions a call, sixteen calls a request).
    static func encode(_ request: HTTPClientRequest) -> [UInt8]? {
        let target = request.target
        guard target.isWritable else { return nil }
        // Every fixed part below is counted in the 128 (the longest: request line and Host punctuation 19, a port 6,
        // `Accept-Encoding` 27, `Content-Length` with 20 digits and the blank line 40).
        var size = 128 + request.method.utf8.count + target.pathAndQuery.utf8.count + target.host.utf8.count
            + (request.body?.count ?? 0)
        for field in request.fields { size += field.name.utf8.count + field.value.utf8.count + 4 }
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var out = ByteWriter(buffer)
            valid = write(request, into: &out)
            initialized = valid ? out.count : 0
        }
        return valid ? out : nil
    }

    /// `encode`'s writing; false for a part that must not be written, or (never, the size being an upper bound) a
    /// buffer too small.
    private static func write(_ request: HTTPClientRequest, into out: inout ByteWriter) -> Bool {
        let target = request.target
        var method = request.method
        guard method.withUTF8({ method in
            guard isToken(method) else { return false }
            out.append(method)
            return true
        }) else { return false }
        out.append(HTTPByteClass.space)
        var pathAndQuery = target.pathAndQuery
        pathAndQuery.withUTF8 { out.append($0) }
        out.append(" HTTP/1.1\r\nHost: ")
        var host = target.host
        host.withUTF8 { host in
            let bracketed = host.contains(UInt8(ascii: ":"))
            if bracketed { out.append(UInt8(ascii: "[")) }
            out.append(host)
            if bracketed { out.append(UInt8(ascii: "]")) }
        }
        if target.port != target.scheme.defaultPort {
            out.append(UInt8(ascii: ":"))
            out.appendDecimal(target.port)
        }
        out.append("\r\n")
        // Read in place: a copy of each field (to call `withUTF8` on) was a retain and a release per string.
        let fieldsWritten = request.fields.withUnsafeBufferPointer { fields -> Bool in
            for i in fields.indices {
                let written = withBytes(fields[i].name) { name -> Bool in
                    if isReserved(UnsafeRawBufferPointer(name)) { return true }
                    guard isToken(name) else { return false }
                    return withBytes(fields[i].value) { value -> Bool in
                        guard isFieldValue(value) else { return false }
                        out.append(name)
                        out.append(": ")
                        out.append(value)
                        out.append("\r\n")
                        return true
                    }
                }
                guard written else { return false }
            }
            return true
        }
        guard fieldsWritten else { return false }
        // Never a compressed answer: the client does not decompress, and refuses one that comes anyway.
        out.append("Accept-Encoding: identity\r\n")
        if let body = request.body {
            out.append("Content-Length: ")
            out.appendDecimal(body.count)
            out.append("\r\n\r\n")
            body.withUnsafeBufferPointer { out.append($0) }
        } else {
            if request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
                out.append("Content-Length: 0\r\n")
            }
            out.append("\r\n")
        }
        return !out.overflowed
    }


    /// `text`'s UTF-8 bytes, in place when its storage is contiguous (`withUTF8` needs a mutable copy of the
    /// string); otherwise from a contiguous copy.
    @inline(__always)
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    /// `CONNECT host:port HTTP/1.1` for a tunnel through an egress proxy, with the proxy's credentials if any.
    static func connect(_ target: HTTPRequestTarget, credentials: ProxyCredentials?) -> [UInt8] {
        let authority = target.authorityWithPort
        let authorization = credentials.map { "Proxy-Authorization: \($0.basicAuthorization)\r\n" } ?? ""
        return Array("CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n\(authorization)\r\n".utf8)
    }
}

/// Appends into a buffer of fixed capacity. Every write is checked against the capacity: one that does not fit is
/// dropped and remembered (`overflowed`), never written past the end.
struct ByteWriter {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress
        capacity = buffer.count
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        guard let base, let source = bytes.baseAddress, bytes.count <= capacity - count else {
            overflowed = true
            return
        }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard let base, count < capacity else {
            overflowed = true
            return
        }
        (base + count).initialize(to: byte)
        count += 1
    }

    /// The decimal digits of `n` (>= 0).
    mutating func appendDecimal(_ n: Int) {
        DecimalDigits.forEach(of: n) { append($0) }
    }
}
