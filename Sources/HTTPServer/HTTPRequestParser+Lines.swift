import HTTPCore
import TextCoding
#if canImport(Glibc)
import Glibc
#endif

/// Line scanning, the request line and field lines.
extension HTTPRequestParser {
    struct RequestLine: Sendable {
        var method: String
        var target: String
        var path: String
        var query: String?
        var major: Int
        var minor: Int
    }

    mutating func scanLine(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, limit: Int) -> HTTPLineScanner.Scan {
        lines.scan(bytes, &index, limit: limit)
    }

    func lineLength(_ start: Int, _ end: Int) -> Int {
        lines.length(start: start, end: end)
    }

    /// Runs `body` on the completed line's bytes, then clears the carried line.
    mutating func withLine<R>(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                              _ body: (inout HTTPRequestParser, UnsafeRawBufferPointer) -> R) -> R {
        if start >= 0 { return body(&self, UnsafeRawBufferPointer(rebasing: bytes[start..<end])) }
        var taken = lines.takeCarried()
        let result = taken.withUnsafeBytes { body(&self, $0) }
        lines.recycle(&taken)
        return result
    }

    /// request-line = method SP request-target SP HTTP-version (RFC 9112 3). Single spaces only.
    mutating func parseRequestLine(_ p: UnsafeRawBufferPointer) -> HTTPRejection? {
        // RFC 9112 2.2: empty lines before the request line are ignored.
        if p.isEmpty { return nil }
        var i = 0
        while i < p.count && HTTPByteClass.isToken(p[i]) { i += 1 }
        guard i > 0, i < p.count, p[i] == HTTPByteClass.space else {
            return .badRequest("Malformed request line: invalid method.")
        }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < p.count && HTTPByteClass.isTarget(p[i]) { i += 1 }
        guard i > targetStart, i < p.count, p[i] == HTTPByteClass.space else {
            return .badRequest("Malformed request line: invalid request target.")
        }
        let targetEnd = i
        i += 1
        let version = UnsafeRawBufferPointer(rebasing: p[i...])
        guard version.count == 8, version[0] == UInt8(ascii: "H"), version[1] == UInt8(ascii: "T"),
              version[2] == UInt8(ascii: "T"), version[3] == UInt8(ascii: "P"), version[4] == UInt8(ascii: "/"),
              version[6] == UInt8(ascii: "."),
              let major = digit(version[5]), let minor = digit(version[7]) else {
            return .badRequest("Malformed request line: invalid HTTP version.")
        }
        // RFC 9112 2.3: only major version 1 is ours; 1.0 and 1.1 are the versions that exist.
        guard major == 1, minor <= 1 else { return .versionNotSupported() }
        let methodBytes = UnsafeRawBufferPointer(rebasing: p[0..<methodEnd])
        let method = HTTPKnownTokens.method(methodBytes) ?? String(decoding: methodBytes, as: UTF8.self)
        let targetBytes = UnsafeRawBufferPointer(rebasing: p[targetStart..<targetEnd])
        guard let (path, query) = Self.splitTarget(targetBytes, method: method) else {
            return .badRequest("Malformed request target.")
        }
        // An origin-form target without a query is its path, byte for byte: the path's String serves as both
        // (a second String of the same bytes was a malloc for any target over 15 bytes).
        let whole = query == nil && targetBytes.first == UInt8(ascii: "/")
        pendingRequestLine = RequestLine(method: method, target: whole ? path : String(decoding: targetBytes, as: UTF8.self),
                                         path: path, query: query, major: major, minor: minor)
        state = .headerLine
        return nil
    }

    private func digit(_ b: UInt8) -> Int? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int(b - UInt8(ascii: "0")) : nil
    }

    /// RFC 9112 3.2: origin-form `/p?q`, absolute-form `http://host/p?q` (reduced to its path), asterisk-form `*`
    /// for OPTIONS. Authority-form (CONNECT) is not served.
    static func splitTarget(_ t: UnsafeRawBufferPointer, method: String) -> (path: String, query: String?)? {
        if t.count == 1 && t[0] == UInt8(ascii: "*") {
            return method == "OPTIONS" ? ("*", nil) : nil
        }
        var pathStart = 0
        if t[0] != UInt8(ascii: "/") {
            // scheme "://" authority, scheme limited to http and https.
            var i = 0
            while i < t.count && t[i] != UInt8(ascii: ":") { i += 1 }
            let scheme = UnsafeRawBufferPointer(rebasing: t[0..<i])
            guard HTTPByteClass.equalsLowercase(scheme, "http") || HTTPByteClass.equalsLowercase(scheme, "https"),
                  i + 2 < t.count, t[i + 1] == UInt8(ascii: "/"), t[i + 2] == UInt8(ascii: "/") else { return nil }
            var j = i + 3
            while j < t.count && t[j] != UInt8(ascii: "/") && t[j] != UInt8(ascii: "?") { j += 1 }
            guard j > i + 3 else { return nil }
            pathStart = j
        }
        var q = pathStart
        while q < t.count && t[q] != UInt8(ascii: "?") { q += 1 }
        var path = String(decoding: UnsafeRawBufferPointer(rebasing: t[pathStart..<q]), as: UTF8.self)
        if path.isEmpty { path = "/" }
        let query = q < t.count ? String(decoding: UnsafeRawBufferPointer(rebasing: t[(q + 1)...]), as: UTF8.self) : nil
        return (path, query)
    }

    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 5). No whitespace before the colon (5.1),
    /// no obs-fold (5.2), no control bytes but HTAB in the value. Trailer lines are checked the same way but dropped.
    mutating func parseFieldLine(_ p: UnsafeRawBufferPointer, keep: Bool) -> HTTPRejection? {
        guard let first = p.first else { return .badRequest("Empty field line.") }
        if first == HTTPByteClass.space || first == HTTPByteClass.tab {
            return .badRequest("Obsolete line folding or whitespace before a field name.")
        }
        var i = 0
        while i < p.count && HTTPByteClass.isToken(p[i]) { i += 1 }
        guard i < p.count, p[i] == HTTPByteClass.colon else {
            if i < p.count && (p[i] == HTTPByteClass.space || p[i] == HTTPByteClass.tab) {
                return .badRequest("Whitespace between a field name and its colon.")
            }
            return .badRequest("Malformed header field name.")
        }
        guard i > 0 else { return .badRequest("Empty header field name.") }
        let nameEnd = i
        i += 1
        while i < p.count && (p[i] == HTTPByteClass.space || p[i] == HTTPByteClass.tab) { i += 1 }
        let valueStart = i
        var valueEnd = valueStart
        while i < p.count {
            // Eight bytes at a time while they hold no space, tab, control byte or DEL (most of a long value such
            // as a bearer token): all valid, and the last of them ends the value so far.
            if i + 8 <= p.count, let base = p.baseAddress {
                let w = (base + i).loadUnaligned(as: UInt64.self)
                if ByteScan.hasByteBelow(w, 0x21) | ByteScan.hasByte(w, 0x7F) == 0 {
                    i += 8
                    valueEnd = i
                    continue
                }
            }
            let b = p[i]
            guard HTTPByteClass.isFieldValue(b) else {
                return .badRequest(b == HTTPByteClass.cr ? "Bare CR in a header field." : "Control character in a header field value.")
            }
            i += 1
            if b != HTTPByteClass.space && b != HTTPByteClass.tab { valueEnd = i }
        }
        guard keep else { return nil }
        let nameBytes = UnsafeRawBufferPointer(rebasing: p[0..<nameEnd])
        let name = HTTPKnownTokens.fieldName(nameBytes) ?? String(decoding: nameBytes, as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: p[valueStart..<valueEnd]), as: UTF8.self)
        fields.append((name: name, value: value))
        return nil
    }
}
