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

    /// The head appended to `out`; returns whether `response.body` follows it on the wire. (A connection writes
    /// over the buffer it reuses instead: `encodeHead(_:context:date:overwriting:)`.)
    ///
    /// The head's length is known before it is written (every part's byte count, at most 20 digits per number), so
    /// `out` grows once and each part is copied into it in place, not appended piece by piece.
    public static func encodeHead(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8],
                                  into out: inout [UInt8]) -> Bool {
        let start = out.count
        makeRoom(&out, headLengthBound(response, context: context, date: date))
        let written = out.withUnsafeMutableBufferPointer { write(response, context: context, date: date, into: $0, at: start) }
        out.removeLast(out.count - written)
        return sendsBody(response, context: context)
    }

    /// The status written: a code outside 100...999 is sent as 500.
    @inline(__always)
    static func status(_ response: HTTPResponse) -> Int {
        (100...999).contains(response.status) ? response.status : 500
    }

    /// RFC 9110 6.4.1: 1xx, 204 and 304 never carry content; HEAD gets the headers only.
    @inline(__always)
    static func bodyAllowed(_ status: Int) -> Bool {
        status >= 200 && status != 204 && status != 304
    }

    static func sendsBody(_ response: HTTPResponse, context: HTTPResponseContext) -> Bool {
        bodyAllowed(status(response)) && !context.isHEAD && !response.body.isEmpty
    }

    /// The most bytes the head can take (every part's byte count, at most 20 digits per number).
    static func headLengthBound(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8]) -> Int {
        let status = status(response)
        // "HTTP/1.1 " status SP phrase CRLF, the fields, Date, Content-Length, Connection, CRLF.
        var length = 9 + 3 + 1 + HTTPStatusReason.phrase(status).utf8CodeUnitCount + 2
        for field in response.headers { length += field.name.utf8.count + field.value.utf8.count + 4 }
        response.finalFields.forEach { name, value in
            // (`utf8CodeUnitCount` traps on a literal held as its one scalar.)
            let nameCount = name.hasPointerRepresentation ? name.utf8CodeUnitCount : name.description.utf8.count
            length += nameCount + value.utf8.count + 4
        }
        if !date.isEmpty { length += 6 + date.count + 2 }
        if bodyAllowed(status) { length += 16 + 20 + 2 }
        length += 24 + 2  // "Connection: keep-alive\r\n" is the longer of the two
        return length
    }

    /// `count` more bytes at the end of `out`, made by copying zeros (a block copy) rather than appending a repeated
    /// element (a loop per byte).
    static func makeRoom(_ out: inout [UInt8], _ count: Int) {
        var room = count
        while room > 0 {
            let step = min(room, zeros.count)
            zeros.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<step])) }
            room -= step
        }
    }

    /// The head written into `buffer` from `start` (room for `headLengthBound` bytes must be there); returns where it
    /// ends.
    static func write(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8],
                      into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        let status = status(response)
        var w = HeadWriter(out: buffer, index: start)
        w.copy("HTTP/1.1 ")
        w.decimal(status)
        w.byte(HTTPByteClass.space)
        w.copy(HTTPStatusReason.phrase(status))
        w.crlf()
        for field in response.headers {
            w.field(field.name, field.value)
        }
        response.finalFields.forEach { name, value in w.field(name, value) }
        if !date.isEmpty {
            w.copy("Date: ")
            date.withUnsafeBufferPointer { w.copy($0) }
            w.crlf()
        }
        if bodyAllowed(status) {
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

    /// The head written over the start of `out`, which is lengthened when too short and never shortened (a
    /// connection reuses one buffer for every answer's head and sends its first `count` bytes); returns whether
    /// `response.body` follows the head on the wire, and the head's length.
    public static func encodeHead(_ response: HTTPResponse, context: HTTPResponseContext, date: [UInt8],
                                  overwriting out: inout [UInt8]) -> (sendsBody: Bool, count: Int) {
        let length = headLengthBound(response, context: context, date: date)
        if out.count < length { makeRoom(&out, length - out.count) }
        let sendsBody = sendsBody(response, context: context)
        let written = out.withUnsafeMutableBufferPointer { write(response, context: context, date: date, into: $0, at: 0) }
        return (sendsBody, written)
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

        /// `name: value` CRLF when the field may be written (`isWritable`); nothing otherwise. One pass over each:
        /// the name checked as it is copied, the value copied and then checked eight bytes at a time; a field found
        /// unsafe part-way is taken back (`index` returns to where it started, and what follows overwrites it).
        mutating func field(_ name: String, _ value: String) {
            let start = index
            let wrote = (name.utf8.withContiguousStorageIfAvailable { writeName($0) } ?? writeName(Array(name.utf8)))
                && (value.utf8.withContiguousStorageIfAvailable { writeValue($0) } ?? writeValue(Array(value.utf8)))
            if !wrote { index = start }
        }

        /// A final field (`HTTPFinalFields`): the literal's bytes checked as any name's.
        mutating func field(_ name: StaticString, _ value: String) {
            let start = index
            // A one-scalar literal may be held as the scalar, not as bytes: written through a string then.
            guard name.hasPointerRepresentation else { return field(name.description, value) }
            let wrote = writeName(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
                && (value.utf8.withContiguousStorageIfAvailable { writeValue($0) } ?? writeValue(Array(value.utf8)))
            if !wrote { index = start }
        }

        private mutating func writeName(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBufferPointer { writeName($0) }
        }

        private mutating func writeValue(_ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBufferPointer { writeValue($0) }
        }

        /// `name: ` if the name is a token the server does not own. One of `knownWritableNames` (compared as two
        /// words) is copied as it is: its check is done once for all.
        @inline(__always)
        private mutating func writeName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
            guard !name.isEmpty, let source = name.baseAddress, let target = out.baseAddress,
                  name.count + 2 <= out.count - index else { return false }
            let at = target + index
            if isKnownWritableName(name) {
                // A loop of at most 16 bytes, not memmove: around that call the compiler kept the string retained.
                for i in 0..<name.count { at[i] = source[i] }
            } else {
                guard !isServerOwned(UnsafeRawBufferPointer(name)) else { return false }
                for i in 0..<name.count {
                    let b = source[i]
                    guard HTTPByteClass.isToken(b) else { return false }
                    at[i] = b
                }
            }
            at[name.count] = HTTPByteClass.colon
            at[name.count + 1] = HTTPByteClass.space
            index += name.count + 2
            return true
        }

        /// `value` CRLF if the value holds no CR, LF or NUL (response splitting).
        @inline(__always)
        private mutating func writeValue(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let target = out.baseAddress, value.count + 2 <= out.count - index else { return false }
            guard isSafeValue(value) else { return false }
            if let source = value.baseAddress { (target + index).update(from: source, count: value.count) }
            index += value.count
            target[index] = HTTPByteClass.cr
            target[index + 1] = HTTPByteClass.lf
            index += 2
            return true
        }
    }

    /// Field names answers carry often, each a token the server does not own, at most 16 bytes (a test holds every
    /// one to `isWritable`, and `isKnownWritableName` to this list): written without the byte-by-byte token check.
    static let knownWritableNames: [String] = [
        "Content-Type", "Cache-Control", "X-Request-Id", "traceparent", "tracestate", "ETag", "Location",
        "Retry-After", "Allow", "Vary", "RateLimit", "RateLimit-Policy", "WWW-Authenticate",
    ]

    /// A name of at most 16 bytes as its count and its bytes in two words, zero-padded.
    struct KnownName {
        let count: Int
        let words: (UInt64, UInt64)

        @inline(__always)
        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count <= 16 else { return nil }
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            self.count = bytes.count
            self.words = words
        }
    }

    /// Whether `name` is, byte for byte, one of `knownWritableNames` (case included: another spelling is checked as
    /// any other name). The words are constants (little-endian, as `KnownName` loads them; a test holds them to the
    /// list): a table built at run time sat behind a lazy global's check, around which the compiler kept the
    /// field's strings retained.
    @inline(__always)
    static func isKnownWritableName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let candidate = KnownName(name) else { return false }
        switch (candidate.count, candidate.words.0, candidate.words.1) {
        case (4, 0x0000_0000_6761_5445, 0),                       // ETag
             (4, 0x0000_0000_7972_6156, 0),                       // Vary
             (5, 0x0000_0077_6F6C_6C41, 0),                       // Allow
             (8, 0x6E6F_6974_6163_6F4C, 0),                       // Location
             (9, 0x696D_694C_6574_6152, 0x0000_0000_0000_0074),   // RateLimit
             (10, 0x6174_7365_6361_7274, 0x0000_0000_0000_6574),  // tracestate
             (11, 0x6641_2D79_7274_6552, 0x0000_0000_0072_6574),  // Retry-After
             (11, 0x7261_7065_6361_7274, 0x0000_0000_0074_6E65),  // traceparent
             (12, 0x2D74_6E65_746E_6F43, 0x0000_0000_6570_7954),  // Content-Type
             (12, 0x7365_7571_6552_2D58, 0x0000_0000_6449_2D74),  // X-Request-Id
             (13, 0x6F43_2D65_6863_6143, 0x0000_006C_6F72_746E),  // Cache-Control
             (16, 0x6874_7541_2D57_5757, 0x6574_6163_6974_6E65),  // WWW-Authenticate
             (16, 0x696D_694C_6574_6152, 0x7963_696C_6F50_2D74):  // RateLimit-Policy
            return true
        default:
            return false
        }
    }

    /// No CR, LF or NUL in `value`. Eight bytes at a time, one test for a byte below 0x0E (all three are); a word
    /// that has one (a tab, say, which is allowed) is looked at byte by byte.
    @inline(__always)
    static func isSafeValue(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if let base = value.baseAddress {
            while i + 8 <= value.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if ByteScan.hasByteBelow(w, 0x0E) != 0 {
                    for j in i..<(i + 8) where isUnsafeValueByte(value[j]) { return false }
                }
                i += 8
            }
        }
        while i < value.count {
            if isUnsafeValueByte(value[i]) { return false }
            i += 1
        }
        return true
    }

    @inline(__always)
    static func isUnsafeValueByte(_ b: UInt8) -> Bool {
        b == HTTPByteClass.cr || b == HTTPByteClass.lf || b == 0
    }

    /// Not server-owned, the name a token, the value free of CR, LF and NUL: what `HeadWriter.field` writes.
    static func isWritable(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !name.isEmpty, !isServerOwned(UnsafeRawBufferPointer(name)) else { return false }
        for b in name where !HTTPByteClass.isToken(b) { return false }
        return isSafeValue(value)
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
