import HTTPClient

// Target `http-response`: the HTTP client's response parser (HTTPResponseParser.swift). The first input byte picks
// the request method (GET, HEAD, CONNECT, DELETE) and the limits (default, or a 128-byte head and 64-byte body);
// the rest is what an upstream sends, ending with the connection closing.
//
// Oracles:
// - the per-call contract: consumed never exceeds what was offered, `.needMore` consumes everything, a failed
//   parser stays failed and consumes nothing;
// - split independence: the verdict (status, headers, body, reusability, or the failure) is the same whether the
//   bytes arrive whole, in random pieces or one at a time (inputs up to 2 KB);
// - limits: a body never exceeds `maxBodyBytes`; HEAD, 204, 304 and a 2xx to CONNECT have no body; a complete
//   answer's status is 200-999 (1xx are skipped, 101 refused).

let methods = ["GET", "HEAD", "CONNECT", "DELETE"]
let limitSets = [HTTPResponseParser.Limits(), HTTPResponseParser.Limits(maxHeadBytes: 128, maxBodyBytes: 64)]

enum Verdict: Equatable {
    case response(status: Int, headers: [String], body: [UInt8], reusable: Bool)
    case failed(HTTPResponseParser.Failure)
}

/// Feeds `bytes` in the pieces `split` chooses, then the end of input; checks the contract on the way.
func run(_ bytes: UnsafeRawBufferPointer, method: String, limits: HTTPResponseParser.Limits,
         split: (Int) -> Int) -> Verdict {
    var parser = HTTPResponseParser(requestMethod: method, limits: limits)
    var offset = 0
    var stopped: Verdict?
    while offset < bytes.count {
        let size = max(1, min(split(bytes.count - offset), bytes.count - offset))
        let piece = ExactBuffer(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)]))
        let (consumed, outcome) = piece.withBytes { parser.feed($0) }
        Fuzz.check(consumed >= 0 && consumed <= size, "consumed \(consumed) of \(size)")
        switch outcome {
        case .needMore:
            Fuzz.check(consumed == size, ".needMore left \(size - consumed) bytes unconsumed")
            offset += size
        case .complete(let response, let reusable):
            let exact = offset + consumed == bytes.count
            stopped = .response(status: response.status, headers: response.headers.map { "\($0.name): \($0.value)" },
                                body: response.body, reusable: reusable && exact)
        case .failed(let failure):
            let again = piece.withBytes { parser.feed($0) }
            Fuzz.check(again.consumed == 0, "a failed parser consumed bytes")
            if case .failed(let same) = again.outcome { Fuzz.check(same == failure, "a failed parser changed its failure") }
            else { Fuzz.fail("a failed parser recovered") }
            stopped = .failed(failure)
        }
        if stopped != nil { break }
    }
    if let stopped { return stopped }
    switch parser.endOfInput() {
    case .complete(let response, let reusable):
        return .response(status: response.status, headers: response.headers.map { "\($0.name): \($0.value)" },
                         body: response.body, reusable: reusable)
    case .failed(let failure):
        return .failed(failure)
    case .needMore:
        Fuzz.fail("endOfInput asked for more")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let selector = Int(data[0])
    let method = methods[selector % methods.count]
    let limits = limitSets[(selector / methods.count) % limitSets.count]
    let bytes = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    let whole = run(bytes, method: method, limits: limits) { $0 }
    var random = SplitMix(state: Fuzz.hash(bytes))
    let pieces = run(bytes, method: method, limits: limits) { remaining in 1 + random.below(max(1, min(remaining, 64))) }
    Fuzz.check(whole == pieces, "whole \(whole) != random pieces \(pieces)")
    if bytes.count <= 2048 {
        let single = run(bytes, method: method, limits: limits) { _ in 1 }
        Fuzz.check(whole == single, "whole \(whole) != byte at a time \(single)")
    }
    if case .response(let status, _, let body, _) = whole {
        Fuzz.check((200...999).contains(status), "complete answer with status \(status)")
        Fuzz.check(body.count <= limits.maxBodyBytes, "body of \(body.count) bytes over the \(limits.maxBodyBytes) cap")
        if method == "HEAD" || status == 204 || status == 304 || (method == "CONNECT" && status < 300) {
            Fuzz.check(body.isEmpty, "a bodiless answer (\(method) \(status)) has a body")
        }
    }
    return 0
}
