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
    ///
    /// The head's length is known before it is written (every part's byte count, at most 20 digits per number), so
    /// `out` grows once and each part is copied into it in place, not appended piece by piece.
    public static func encodeHead(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8],
                                  into out: inout [UInt8]) -> Bool {
        let status = (100...999).contains(response.status) ? response.status : 500
        // RFC 9110 6.4.1: 1xx, 204 and 304 never carry content; HEAD gets the headers only.
        let bodyAllowed = status >= 200 && status != 204 && status != 304
        let sendsBody = bodyAllowed && !context.isHEAD && !response.body.isEmpty
        let phrase = HTTPStatusReason.phrase(status)

        // "HTTP/1.1 " status SP phrase CRLF, the fields, Date, Content-Length, Connection, CRLF.
        var length = 9 + 3 + 1 + phrase.utf8.count + 2
        for field in response.headers { length += field.name.utf8.count + field.value.utf8.count + 4 }
        if !date.isEmpty { length += 6 + date.count + 2 }
        if bodyAllowed { length += 16 + 20 + 2 }
        length += 24 + 2  // "Connection: keep-alive\r\n" is the longer of the two
        let start = out.count
        // Room made by copying zeros (a block copy) rather than appending a repeated element (a loop per byte).
        var room = length
        while room > 0 {
            let step = min(room, zeros.count)
            zeros.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<step])) }
            room -= step
        }
        let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
            var w = HeadWriter(out: buffer, index: start)
            w.copy("HTTP/1.1 ")
            w.decimal(status)
            w.byte(HTTPByteClass.space)
            w.copy(phrase)
            w.crlf()
            for field in response.headers {
                // Each name and value read once on its contiguous bytes: checked, then copied.
                w.field(field.name, field.value)
            }
            if !date.isEmpty {
                w.copy("Date: ")
                date.withUnsafeBufferPointer { w.copy($0) }
                w.crlf()
            }
            if bodyAllowed {
                w.copy("Content-Length: ")
                w.decimal(response.body.count)
                w.crlf()
            }
            if context.close {
                w.copy("Connection: close\r\n")
            } else if context.confirmKeepAlive {
                w.copy("Connection: keep-alive\r\n")
            }
            w.crlf()
            return w.index
        }
        out.removeLast(out.count - written)
        return sendsBody
    }

    /// What `encodeHead` copies to make room for a head (most heads fit in one copy).
    private static let zeros = [UInt8](repeating: 0, count: 1024)

    /// Writes a head into room already made for it; every write is checked against the room (a part that does not
    /// fit is left out, which the length computed beforehand rules out).
    private struct HeadWriter {
        let out: UnsafeMutableBufferPointer<UInt8>
        var index: Int

        @inline(__always)
        mutating func byte(_ b: UInt8) {
            guard index < out.count else { return }
            out[index] = b
            index += 1
        }

        @inline(__always)
        mutating func crlf() {
            byte(HTTPByteClass.cr)
            byte(HTTPByteClass.lf)
        }

        mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress, let target = out.baseAddress, bytes.count <= out.count - index else { return }
            (target + index).update(from: source, count: bytes.count)
            index += bytes.count
        }

        mutating func copy(_ text: StaticString) {
            copy(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        mutating func copy(_ text: String) {
            if text.utf8.withContiguousStorageIfAvailable({ copy($0) }) == nil {
                for b in text.utf8 { byte(b) }
            }
        }

        /// `n` (>= 0) in decimal, without a String in between.
        mutating func decimal(_ n: Int) {
            DecimalDigits.forEach(of: n) { byte($0) }
        }

        /// `name: value` CRLF when the field may be written (`isWritable`).
        mutating func field(_ name: String, _ value: String) {
            let done: Void?? = name.utf8.withContiguousStorageIfAvailable { name in
                value.utf8.withContiguousStorageIfAvailable { value in field(name, value) }
            }
            if case .some(.some) = done { return }
            // Not contiguous (a bridged or lazily made string): through arrays, the rare path.
            let nameBytes = Array(name.utf8), valueBytes = Array(value.utf8)
            nameBytes.withUnsafeBufferPointer { name in
                valueBytes.withUnsafeBufferPointer { value in field(name, value) }
            }
        }

        private mutating func field(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) {
            guard isWritable(name: name, value: value) else { return }
            copy(name)
            byte(HTTPByteClass.colon)
            byte(HTTPByteClass.space)
            copy(value)
            crlf()
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
