import HTTPServer

/// Everything an `HTTPRequestParser` reported for one input, in a comparable form, recorded while checking the
/// parser's per-call contract.
struct ParserTranscript: Equatable {
    struct Head: Equatable {
        var method, target, path: String
        var query: String?
        var major, minor: Int
        var headers: HTTPHeaders
        var framing: HTTPBodyFraming
        var expectsContinue, keepAlive: Bool
    }

    struct Request: Equatable {
        var method, target, path: String
        var query: String?
        var major, minor: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        init(_ r: HTTPRequest) {
            method = r.method; target = r.target; path = r.path; query = r.query
            major = r.versionMajor; minor = r.versionMinor; headers = r.headers; body = r.body
        }
    }

    var heads: [Head] = []
    var requests: [Request] = []
    var rejection: HTTPRejection?

    /// How the input is handed to the parser.
    enum Delivery {
        case whole
        case bytewise
        /// Pieces of 1...max bytes, sizes drawn from a generator seeded by the input's hash.
        case random(max: Int)
    }

    /// Drives a fresh parser over `input` the way a connection does: unconsumed bytes are kept and offered again
    /// together with the next piece. Every buffer the parser sees is an exact-size heap copy.
    init(_ input: UnsafeRawBufferPointer, delivery: Delivery, limits: HTTPParserLimits) {
        var parser = HTTPRequestParser(limits: limits)
        var random = SplitMix(state: Fuzz.hash(input))
        var pending = ExactBuffer()
        var offset = 0
        var calls = 0
        outer: while true {
            if offset < input.count {
                let size: Int
                switch delivery {
                case .whole: size = input.count
                case .bytewise: size = 1
                case .random(let max): size = 1 + random.below(max)
                }
                let end = min(input.count, offset + size)
                pending = pending.withBytes { ExactBuffer($0, UnsafeRawBufferPointer(rebasing: input[offset..<end])) }
                offset = end
            }
            while true {
                calls += 1
                // Every call either consumes a byte, reports an event, or asks for more: bounded by a few per byte.
                Fuzz.check(calls <= 4 * input.count + 16, "parser makes no progress after \(calls) calls")
                let available = pending.count
                let (consumed, event) = pending.withBytes { parser.parse($0) }
                Fuzz.check(consumed >= 0 && consumed <= available, "consumed \(consumed) of \(available)")
                if consumed == available {
                    pending = ExactBuffer()
                } else if consumed > 0 {
                    pending = pending.withBytes { ExactBuffer(UnsafeRawBufferPointer(rebasing: $0[consumed...])) }
                }
                switch event {
                case .needMore:
                    Fuzz.check(consumed == available, ".needMore left \(available - consumed) bytes unconsumed")
                    if offset >= input.count { break outer }
                    continue outer
                case .head(let h):
                    Fuzz.check(heads.count == requests.count, "two heads without a request between them")
                    Fuzz.check(h.headers.count <= limits.maxHeaderCount, "\(h.headers.count) header fields accepted")
                    Fuzz.check(h.versionMajor == 1 && h.versionMinor <= 1, "version \(h.versionMajor).\(h.versionMinor)")
                    if case .contentLength(let n) = h.framing {
                        Fuzz.check(n >= 0 && n <= limits.maxBodyBytes, "Content-Length \(n) accepted")
                    }
                    heads.append(Head(method: h.method, target: h.target, path: h.path, query: h.query,
                                      major: h.versionMajor, minor: h.versionMinor, headers: h.headers,
                                      framing: h.framing, expectsContinue: h.expectsContinue, keepAlive: h.keepAlive))
                case .request(let r):
                    Fuzz.check(heads.count == requests.count + 1, "request without a head")
                    let head = heads[heads.count - 1]
                    let request = Request(r)
                    Fuzz.check(request.method == head.method && request.target == head.target
                               && request.path == head.path && request.query == head.query
                               && request.headers == head.headers, "request differs from its head")
                    switch head.framing {
                    case .none: Fuzz.check(r.body.isEmpty, "body without framing")
                    case .contentLength(let n): Fuzz.check(r.body.count == n, "body \(r.body.count) for Content-Length \(n)")
                    case .chunked: Fuzz.check(r.body.count <= limits.maxBodyBytes, "chunked body \(r.body.count) over limit")
                    }
                    Fuzz.check(!parser.hasPartialRequest, "hasPartialRequest after a complete request")
                    requests.append(request)
                case .rejected(let rejection):
                    self.rejection = rejection
                    Fuzz.check([400, 413, 414, 431, 501, 505].contains(rejection.status), "status \(rejection.status)")
                    // A failed parser stays failed and consumes nothing.
                    let again = parser.parse([UInt8(ascii: "G")])
                    guard case .rejected = again.event, again.consumed == 0 else {
                        Fuzz.fail("parser did not stay failed: \(again)")
                    }
                    break outer
                }
            }
        }
    }

    /// A short human-readable summary, for failure messages.
    var summary: String {
        let parts = requests.map { "\($0.method) \($0.target) h=\($0.headers.count) b=\($0.body.count)" }
        return "heads=\(heads.count) [" + parts.joined(separator: ", ") + "] -> "
            + (rejection.map { "\($0.status) \($0.detail)" } ?? "ok")
    }
}
