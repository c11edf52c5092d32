import HTTPServer

// Target `http-chunked`: the input is the body of a request whose head is always valid and says
// `Transfer-Encoding: chunked`, so every execution reaches the chunked decoder (HTTPRequestParser+Chunked.swift).
//
// Oracles:
// - the parser's contract and split independence (ParserTranscript, whole vs random pieces vs one byte at a time);
// - a differential against `ReferenceChunked` below, an independent, deliberately plain decoder written from
//   RFC 9112 7.1 plus the parser's documented policy (at most 15 hex digits, extensions ignored but free of control
//   bytes, strict CRLF, trailer lines checked like field lines and bounded by the header budget, body limit checked
//   when a chunk size is announced). Both must agree on: the decoded body, or the rejection status, or "incomplete".

let head = Array("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
let smallLimits = HTTPParserLimits(maxRequestLineBytes: 8192, maxHeaderBytes: 256, maxHeaderCount: 100, maxBodyBytes: 1024)
let limitSets = [HTTPParserLimits(), smallLimits]

enum ChunkedOutcome: Equatable {
    case body([UInt8])
    case rejected(status: Int)
    case incomplete
}

/// An independent chunked decoder over the whole body (no incremental state), with the parser's limits.
struct ReferenceChunked {
    let bytes: [UInt8]
    let limits: HTTPParserLimits
    var i = 0

    static let chunkLineLimit = 4096

    enum Line { case content([UInt8]), tooLong, bareLF, incomplete }

    /// The next line: `n` bytes before the LF; too long when n - 1 > limit (the CR is not counted), checked before
    /// the terminator, and applied to an unfinished line at the end of input as well.
    mutating func line(limit: Int) -> Line {
        var j = i
        while j < bytes.count && bytes[j] != 10 { j += 1 }
        let n = j - i
        if n - 1 > limit { return .tooLong }
        guard j < bytes.count else { return .incomplete }
        guard n > 0, bytes[j - 1] == 13 else { return .bareLF }
        let content = Array(bytes[i..<(j - 1)])
        i = j + 1
        return .content(content)
    }

    static func hex(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: return Int(b) - 48
        case 65...70: return Int(b) - 55
        case 97...102: return Int(b) - 87
        default: return nil
        }
    }

    static func isFieldValueByte(_ b: UInt8) -> Bool { b == 9 || (b >= 32 && b != 127) }

    static func isTchar(_ b: UInt8) -> Bool {
        if (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) { return true }
        return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
    }

    /// chunk-size [ BWS ";" ext-bytes ] -> size, or nil when malformed (400).
    static func chunkSize(_ line: [UInt8]) -> Int? {
        var digits = 0
        var size = 0
        while digits < line.count, let v = hex(line[digits]) {
            digits += 1
            if digits > 15 { return nil }
            size = size * 16 + v
        }
        guard digits > 0 else { return nil }
        var rest = line[digits...]
        if rest.isEmpty { return size }
        while let f = rest.first, f == 32 || f == 9 { rest = rest.dropFirst() }
        guard rest.first == UInt8(ascii: ";") else { return nil }
        return rest.allSatisfy(isFieldValueByte) ? size : nil
    }

    /// field-name ":" OWS value with field-value bytes only; no leading whitespace.
    static func validTrailer(_ line: [UInt8]) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        guard line[..<colon].allSatisfy(isTchar) else { return false }
        return line[(colon + 1)...].allSatisfy(isFieldValueByte)
    }

    mutating func decode() -> ChunkedOutcome {
        var body: [UInt8] = []
        while true {
            switch line(limit: Self.chunkLineLimit) {
            case .incomplete: return .incomplete
            case .tooLong, .bareLF: return .rejected(status: 400)
            case .content(let sizeLine):
                guard let size = Self.chunkSize(sizeLine) else { return .rejected(status: 400) }
                if size == 0 { return trailers(body) }
                if size > limits.maxBodyBytes - body.count { return .rejected(status: 413) }
                if bytes.count - i < size { return .incomplete }
                body += bytes[i..<(i + size)]
                i += size
                for expected: UInt8 in [13, 10] {
                    guard i < bytes.count else { return .incomplete }
                    guard bytes[i] == expected else { return .rejected(status: 400) }
                    i += 1
                }
            }
        }
    }

    mutating func trailers(_ body: [UInt8]) -> ChunkedOutcome {
        var used = 0
        while true {
            switch line(limit: max(limits.maxHeaderBytes - used - 2, 0)) {
            case .incomplete: return .incomplete
            case .tooLong: return .rejected(status: 431)
            case .bareLF: return .rejected(status: 400)
            case .content(let field):
                if field.isEmpty { return .body(body) }
                used += field.count + 2
                guard Self.validTrailer(field) else { return .rejected(status: 400) }
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = UnsafeRawBufferPointer(start: data, count: size)
    let framed = head.withUnsafeBytes { ExactBuffer($0, body) }
    framed.withBytes { input in
        for limits in limitSets {
            let whole = ParserTranscript(input, delivery: .whole, limits: limits)
            Fuzz.check(whole.heads.count >= 1, "the fixed head was not accepted: \(whole.summary)")
            let parsed: ChunkedOutcome
            if let first = whole.requests.first {
                parsed = .body(first.body)
            } else if let rejection = whole.rejection {
                parsed = .rejected(status: rejection.status)
            } else {
                parsed = .incomplete
            }
            var reference = ReferenceChunked(bytes: Array(body), limits: limits)
            let expected = reference.decode()
            Fuzz.check(parsed == expected, "parser \(parsed) but reference \(expected) (limits \(limits))")

            let random = ParserTranscript(input, delivery: .random(max: 8), limits: limits)
            Fuzz.check(whole == random, "split changed the verdict:\n whole:  \(whole.summary)\n random: \(random.summary)")
            if size <= 512 {
                let bytewise = ParserTranscript(input, delivery: .bytewise, limits: limits)
                Fuzz.check(whole == bytewise, "split changed the verdict:\n whole:    \(whole.summary)\n bytewise: \(bytewise.summary)")
            }
        }
    }
    return 0
}
