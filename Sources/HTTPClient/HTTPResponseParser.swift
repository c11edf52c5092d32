import HTTPCore
#if canImport(Glibc)
import Glibc
#endif

/// An incremental HTTP/1.1 response parser (RFC 9112), as strict as the server's request parser: a pure value fed
/// whatever bytes arrived, byte-at-a-time or all at once, with the same verdict either way.
///
/// - Status line `HTTP/1.x SP 3DIGIT [SP reason]`; CR LF line ends only (a bare LF is refused); no obs-fold.
/// - 1xx answers are skipped (101 is refused: the client never asks to switch protocols).
/// - Framing: no body for HEAD, 204, 304 and a 2xx to CONNECT; else `Transfer-Encoding: chunked` (the only coding
///   read; trailers discarded), else `Content-Length` (repeats must agree), else until the connection closes.
///   `Transfer-Encoding` together with `Content-Length` is refused, as a request smuggling signal would be.
/// - `Content-Encoding` other than `identity` on a body is refused: nothing is ever decompressed, so a small gzip
///   answer cannot inflate in memory.
/// - The head (every 1xx, the final head and the trailers each) is capped at `maxHeadBytes`; the body at
///   `maxBodyBytes`, checked against a declared length before any byte of it is stored and against the count of
///   bytes as they arrive.
public struct HTTPResponseParser: Sendable {
    public struct Limits: Sendable, Equatable {
        public var maxHeadBytes: Int
        public var maxBodyBytes: Int

        public init(maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int = 4 << 20) {
            self.maxHeadBytes = maxHeadBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        case malformed(String)
        case headTooLarge(limit: Int)
        /// The body's size as announced (Content-Length, chunk sizes so far), or the limit + 1 for a body that
        /// runs until the connection closes.
        case bodyTooLarge(Int)
        case unsupportedContentEncoding(String)
        /// The connection ended before the answer was complete.
        case truncated
    }

    public enum Outcome: Sendable {
        case needMore
        /// `reusable`: the answer was framed by length or chunks and neither side asked to close.
        case complete(HTTPClientResponse, reusable: Bool)
        case failed(Failure)
    }

    private enum Framing { case length(Int), chunked, untilClose }

    private enum State {
        case statusLine
        case headerLine
        case body(remaining: Int)
        case untilClose
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case trailerLine
        case done
        case failed(Failure)
    }

    public let limits: Limits
    private let isHEAD: Bool
    private let isCONNECT: Bool
    private var state: State = .statusLine
    private var lines = HTTPLineScanner()
    private var headBytes = 0
    private var status = 0
    private var minorVersion = 1
    private var headers = HTTPResponseFields()
    private var body: [UInt8] = []
    private var wantsClose = false
    private var interimAnswers = 0
    /// Total bytes of the final answer's body seen (chunked: data bytes), for the size check.
    private var bodyCount = 0
    private static let maxChunkLineBytes = 4096
    /// Interim (1xx) answers before the final one; each has a head budget of its own, so this is what bounds them.
    public static let maxInterimAnswers = 8

    /// `requestMethod` decides whether a body can follow (HEAD never has one; a 2xx to CONNECT starts a tunnel).
    public init(requestMethod: String, limits: Limits = Limits()) {
        self.limits = limits
        isHEAD = requestMethod == "HEAD"
        isCONNECT = requestMethod == "CONNECT"
    }

    /// True once any byte of an answer arrived (a connection that dies before that never answered at all).
    public private(set) var sawBytes = false

    /// Feeds `bytes`; returns how many were used and the outcome. After `.complete`, unused bytes belong to no
    /// request (the caller must not reuse the connection); after `.failed` the parser stays failed.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> (consumed: Int, outcome: Outcome) {
        if !bytes.isEmpty { sawBytes = true }
        var index = 0
        while true {
            switch state {
            case .failed(let failure):
                return (index, .failed(failure))
            case .done:
                return (index, .complete(HTTPClientResponse(status: status, fields: headers, body: body), reusable: !wantsClose))
            case .statusLine, .headerLine, .trailerLine, .chunkSize:
                let limit: Int
                switch state {
                case .chunkSize: limit = Self.maxChunkLineBytes
                default: limit = max(limits.maxHeadBytes - headBytes - 2, 0)
                }
                switch lines.scan(bytes, &index, limit: limit) {
                case .incomplete:
                    return (index, .needMore)
                case .tooLong:
                    if case .chunkSize = state { fail(.malformed("chunk size line too long")) } else { fail(.headTooLarge(limit: limits.maxHeadBytes)) }
                case .bareLF:
                    fail(.malformed("line ended by LF without CR"))
                case .complete(let start, let end):
                    let length = lines.length(start: start, end: end)
                    if case .chunkSize = state {} else { headBytes += length + 2 }
                    if start >= 0 {
                        lineComplete(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    } else {
                        var taken = lines.takeCarried()
                        taken.withUnsafeBytes { lineComplete($0) }
                        lines.recycle(&taken)
                    }
                }
            case .body(let remaining):
                let take = min(remaining, bytes.count - index)
                if take > 0 {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                    index += take
                }
                if take == remaining { state = .done } else {
                    state = .body(remaining: remaining - take)
                    return (index, .needMore)
                }
            case .untilClose:
                let take = bytes.count - index
                bodyCount += take
                if bodyCount > limits.maxBodyBytes {
                    // The first byte over the cap, however the bytes were split: the verdict must not depend on it.
                    fail(.bodyTooLarge(limits.maxBodyBytes + 1))
                    continue
                }
                if take > 0 { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...])) }
                return (bytes.count, .needMore)
            case .chunkData(let remaining):
                let take = min(remaining, bytes.count - index)
                if take > 0 {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                    index += take
                }
                if take == remaining { state = .chunkDataCR } else {
                    state = .chunkData(remaining: remaining - take)
                    return (index, .needMore)
                }
            case .chunkDataCR, .chunkDataLF:
                guard index < bytes.count else { return (index, .needMore) }
                let expectCR = if case .chunkDataCR = state { true } else { false }
                guard bytes[index] == (expectCR ? HTTPByteClass.cr : HTTPByteClass.lf) else {
                    fail(.malformed("chunk data not followed by CRLF"))
                    continue
                }
                index += 1
                state = expectCR ? .chunkDataLF : .chunkSize
            }
        }
    }

    /// The connection was closed by the peer: completes a close-delimited answer, otherwise the answer was cut short.
    public mutating func endOfInput() -> Outcome {
        switch state {
        case .untilClose:
            state = .done
            return .complete(HTTPClientResponse(status: status, fields: headers, body: body), reusable: false)
        case .done:
            return .complete(HTTPClientResponse(status: status, fields: headers, body: body), reusable: false)
        case .failed(let failure):
            return .failed(failure)
        default:
            fail(.truncated)
            return .failed(.truncated)
        }
    }

    private mutating func fail(_ failure: Failure) {
        state = .failed(failure)
    }

    // MARK: Lines

    private mutating func lineComplete(_ p: UnsafeRawBufferPointer) {
        switch state {
        case .statusLine: parseStatusLine(p)
        case .headerLine: p.isEmpty ? headComplete() : parseField(p, keep: true)
        case .trailerLine: if p.isEmpty { state = .done } else { parseField(p, keep: false) }
        case .chunkSize: parseChunkSize(p)
        default: fail(.malformed("internal parser state"))
        }
    }

    /// HTTP-version SP status-code SP [ reason-phrase ]; a missing SP after the code is tolerated (RFC 9112 4 asks
    /// clients to ignore the reason).
    private mutating func parseStatusLine(_ p: UnsafeRawBufferPointer) {
        guard p.count >= 12, p[0] == UInt8(ascii: "H"), p[1] == UInt8(ascii: "T"), p[2] == UInt8(ascii: "T"),
              p[3] == UInt8(ascii: "P"), p[4] == UInt8(ascii: "/"), p[5] == UInt8(ascii: "1"), p[6] == UInt8(ascii: "."),
              p[7] == UInt8(ascii: "0") || p[7] == UInt8(ascii: "1"), p[8] == HTTPByteClass.space else {
            return fail(.malformed("not an HTTP/1.x status line"))
        }
        var code = 0
        for i in 9..<12 {
            guard p[i] >= 48 && p[i] <= 57 else { return fail(.malformed("invalid status code")) }
            code = code * 10 + Int(p[i] - 48)
        }
        guard code >= 100 else { return fail(.malformed("invalid status code")) }
        if p.count > 12 {
            guard p[12] == HTTPByteClass.space else { return fail(.malformed("invalid status line")) }
            for i in 13..<p.count where !HTTPByteClass.isFieldValue(p[i]) {
                return fail(.malformed("control character in the reason phrase"))
            }
        }
        if code == 101 { return fail(.malformed("unrequested protocol switch (101)")) }
        status = code
        minorVersion = Int(p[7] - 48)
        headers.removeAll()
        state = .headerLine
    }

    private mutating func parseField(_ p: UnsafeRawBufferPointer, keep: Bool) {
        if p[0] == HTTPByteClass.space || p[0] == HTTPByteClass.tab { return fail(.malformed("obsolete line folding")) }
        var i = 0
        while i < p.count && HTTPByteClass.isToken(p[i]) { i += 1 }
        guard i > 0, i < p.count, p[i] == HTTPByteClass.colon else { return fail(.malformed("malformed header field")) }
        let nameEnd = i
        i += 1
        while i < p.count && (p[i] == HTTPByteClass.space || p[i] == HTTPByteClass.tab) { i += 1 }
        var end = p.count
        while end > i && (p[end - 1] == HTTPByteClass.space || p[end - 1] == HTTPByteClass.tab) { end -= 1 }
        // Eight bytes at a time, as the request encoder checks values (a date or a token is most of a field's bytes).
        guard HTTPRequestEncoder.isFieldValue(UnsafeRawBufferPointer(rebasing: p[i..<end]).assumingMemoryBound(to: UInt8.self)) else {
            return fail(.malformed("control character in a header value"))
        }
        guard keep else { return }
        guard headers.append(name: UnsafeRawBufferPointer(rebasing: p[0..<nameEnd]), value: UnsafeRawBufferPointer(rebasing: p[i..<end])) else {
            return fail(.headTooLarge(limit: limits.maxHeadBytes))
        }
    }

    private mutating func headComplete() {
        if status < 200 {
            // An interim answer: the final one follows with a head budget of its own.
            interimAnswers += 1
            if interimAnswers > Self.maxInterimAnswers { return fail(.malformed("more than \(Self.maxInterimAnswers) interim (1xx) answers")) }
            headBytes = 0
            state = .statusLine
            return
        }
        var framing: Framing = .untilClose
        var contentLength: Int?
        var chunked = false
        // Field values are read element by element as bytes (HTTPFieldList), tokens compared ASCII-case-insensitively.
        var failure: Failure?
        var closes = false
        // The first coding of a `Content-Encoding` other than identity, noted in the same pass (a second walk over
        // the fields cost as much as the first); it refuses the answer only where the checks below reach it.
        var refused: String?
        headers.forEach { name, value in
            if HTTPByteClass.equalsLowercase(name, "content-length") {
                HTTPFieldList.forEachElement(value) { text in
                    guard !text.isEmpty, text.count <= 15, text.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                        failure = .malformed("invalid Content-Length")
                        return false
                    }
                    let n = text.reduce(0) { $0 * 10 + Int($1 - 48) }  // at most 15 digits: no overflow
                    if let contentLength, contentLength != n {
                        failure = .malformed("conflicting Content-Length values")
                        return false
                    }
                    contentLength = n
                    return true
                }
            } else if HTTPByteClass.equalsLowercase(name, "transfer-encoding") {
                HTTPFieldList.forEachElement(value) { coding in
                    if coding.isEmpty { return true }
                    // Chunked must be the last and only coding: anything else would need decoding.
                    guard HTTPByteClass.equalsLowercase(coding, "chunked"), !chunked else {
                        failure = .unsupportedContentEncoding("Transfer-Encoding: \(Self.lowercasedText(coding))")
                        return false
                    }
                    chunked = true
                    return true
                }
            } else if HTTPByteClass.equalsLowercase(name, "connection") {
                HTTPFieldList.forEachElement(value) { option in
                    if HTTPByteClass.equalsLowercase(option, "close") { closes = true }
                    return true
                }
            } else if refused == nil, HTTPByteClass.equalsLowercase(name, "content-encoding") {
                HTTPFieldList.forEachElement(value) { coding in
                    if coding.isEmpty || HTTPByteClass.equalsLowercase(coding, "identity") { return true }
                    refused = Self.lowercasedText(coding)
                    return false
                }
            }
            return failure == nil
        }
        if closes { wantsClose = true }
        if let failure { return fail(failure) }
        // HTTP/1.0 answers are not kept alive: keep-alive negotiation for 1.0 is not worth its corner cases.
        if minorVersion == 0 { wantsClose = true }
        let bodiless = isHEAD || status == 204 || status == 304 || (isCONNECT && status < 300)
        if bodiless {
            state = .done
            return
        }
        if chunked && contentLength != nil { return fail(.malformed("both Transfer-Encoding and Content-Length")) }
        if let refused { return fail(.unsupportedContentEncoding(refused)) }
        if chunked { framing = .chunked } else if let contentLength { framing = .length(contentLength) }
        switch framing {
        case .length(let n):
            if n > limits.maxBodyBytes { return fail(.bodyTooLarge(n)) }
            body.reserveCapacity(n)
            state = n == 0 ? .done : .body(remaining: n)
        case .chunked:
            state = .chunkSize
        case .untilClose:
            wantsClose = true
            state = .untilClose
        }
    }

    /// A refused coding as the error names it.
    private static func lowercasedText(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self).lowercased()
    }

    private mutating func parseChunkSize(_ p: UnsafeRawBufferPointer) {
        switch ChunkSizeLine.parse(p) {
        case .failure(.overflow): fail(.malformed("chunk size overflow"))
        case .failure(.malformed): fail(.malformed("malformed chunk size"))
        case .failure(.controlInExtension): fail(.malformed("control character in a chunk extension"))
        case .success(0):
            // Trailers get a head budget of their own.
            headBytes = 0
            state = .trailerLine
        case .success(let size):
            if size > limits.maxBodyBytes - bodyCount { return fail(.bodyTooLarge(bodyCount + size)) }
            bodyCount += size
            state = .chunkData(remaining: size)
        }
    }
}

extension Substring {
    /// Without leading and trailing SP and HTAB (optional whitespace, RFC 9110 5.6.3).
    func trimmingASCIIWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
