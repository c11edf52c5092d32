import HTTPCore
/// An incremental, byte-oriented HTTP/1.1 request parser (RFC 9112), as a pure state machine: feed bytes, get one
/// event per call. It keeps only the unfinished line between calls and scans each byte once, so cost is linear in
/// the input however it is split (FlyingFox's rescanning was quadratic).
///
/// It stops after each `.head` and `.request` event and reports how many bytes it consumed; the caller keeps the
/// rest, which is how pipelined requests stay in order without being parsed ahead.
///
/// Strict in the way llhttp's strict mode is: see `HTTPRequestParser+Lines.swift` and `+Framing.swift`.
public struct HTTPRequestParser: Sendable {
    enum State: Sendable {
        case requestLine
        case headerLine
        /// Head reported; the next call starts the body (or completes a body-less request).
        case headComplete
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case trailerLine
        case failed
    }

    public let limits: HTTPParserLimits
    var state: State = .requestLine
    /// The unfinished line carried across calls.
    var lines = HTTPLineScanner()
    var head: HTTPRequestHead?
    var pendingRequestLine: RequestLine?
    var fields: [(name: String, value: String)] = []
    var headerBytes = 0
    var body: [UInt8] = []
    /// Any byte of the current request (leading empty lines included) has been seen.
    public private(set) var hasPartialRequest = false

    /// Longest chunk-size line, extensions included. Extensions are ignored, so a generous fixed bound suffices.
    static let maxChunkLineBytes = 4096

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Parses from the start of `bytes` and returns how many were consumed with the resulting event.
    /// After `.rejected` every further call returns the same rejection's generic form and consumes nothing.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) -> (consumed: Int, event: HTTPParserEvent) {
        var index = 0
        if !bytes.isEmpty { hasPartialRequest = true }
        while true {
            switch state {
            case .failed:
                return (index, .rejected(.badRequest("The connection is no longer usable.")))
            case .requestLine:
                switch scanLine(bytes, &index, limit: limits.maxRequestLineBytes) {
                case .incomplete: return (index, .needMore)
                case .tooLong: return fail(index, .uriTooLong(limit: limits.maxRequestLineBytes))
                case .bareLF: return fail(index, .badRequest("Line terminated by LF without CR."))
                case .complete(let start, let end):
                    if let rejection = withLine(bytes, start, end, { $0.parseRequestLine($1) }) {
                        return fail(index, rejection)
                    }
                }
            case .headerLine:
                let budget = limits.maxHeaderBytes - headerBytes
                switch scanLine(bytes, &index, limit: max(budget - 2, 0)) {
                case .incomplete: return (index, .needMore)
                case .tooLong: return fail(index, .headerTooLarge("The header section exceeds \(limits.maxHeaderBytes) bytes."))
                case .bareLF: return fail(index, .badRequest("Line terminated by LF without CR."))
                case .complete(let start, let end):
                    let length = lineLength(start, end)
                    if length == 0 {
                        switch finishHead() {
                        case .failure(let rejection): return fail(index, rejection)
                        case .success(let head):
                            state = .headComplete
                            return (index, .head(head))
                        }
                    }
                    headerBytes += length + 2
                    if fields.count >= limits.maxHeaderCount {
                        return fail(index, .headerTooLarge("More than \(limits.maxHeaderCount) header fields."))
                    }
                    if let rejection = withLine(bytes, start, end, { $0.parseFieldLine($1, keep: true) }) {
                        return fail(index, rejection)
                    }
                }
            case .headComplete:
                switch head?.framing ?? .none {
                case .none, .contentLength(0): return (index, completeRequest())
                case .contentLength(let length): state = .fixedBody(remaining: length)
                case .chunked: state = .chunkSize
                }
            case .fixedBody(let remaining):
                let take = min(remaining, bytes.count - index)
                if take > 0 {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                    index += take
                }
                if remaining - take == 0 { return (index, completeRequest()) }
                state = .fixedBody(remaining: remaining - take)
                return (index, .needMore)
            case .chunkSize, .chunkData, .chunkDataCR, .chunkDataLF, .trailerLine:
                switch parseChunked(bytes, &index) {
                case .needMore: return (index, .needMore)
                case .complete: return (index, completeRequest())
                case .rejected(let rejection): return fail(index, rejection)
                case .progress: continue
                }
            }
        }
    }

    /// Convenience for tests and callers holding an array.
    public mutating func parse(_ bytes: [UInt8]) -> (consumed: Int, event: HTTPParserEvent) {
        bytes.withUnsafeBytes { parse($0) }
    }

    private mutating func fail(_ index: Int, _ rejection: HTTPRejection) -> (consumed: Int, event: HTTPParserEvent) {
        state = .failed
        lines.reset()
        return (index, .rejected(rejection))
    }

    private mutating func completeRequest() -> HTTPParserEvent {
        guard let head else {
            state = .failed
            return .rejected(.badRequest("Internal parser state error."))
        }
        let request = HTTPRequest(method: head.method, target: head.target, path: head.path, query: head.query,
                                  versionMajor: head.versionMajor, versionMinor: head.versionMinor,
                                  headers: head.headers, body: body)
        reset()
        return .request(request)
    }

    /// Prepares for the next request on the same connection.
    mutating func reset() {
        state = .requestLine
        lines.reset()
        head = nil
        pendingRequestLine = nil
        fields.removeAll(keepingCapacity: true)
        headerBytes = 0
        body = []
        hasPartialRequest = false
    }
}
