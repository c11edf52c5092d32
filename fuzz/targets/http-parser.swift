import HTTPServer

// Target `http-parser`: arbitrary bytes as the request stream of one connection.
//
// Oracles beyond "no crash, no sanitizer report":
// - the parser's per-call contract (ParserTranscript: bounded consumption, `.needMore` consumes everything, a head
//   before each request, body matches framing, limits respected, failure is sticky);
// - the verdict does not depend on how the bytes are split: whole, one byte at a time and random pieces must give the
//   same heads, requests (every field and body byte) and rejection (status, code and detail);
// - under both the default limits and tiny ones (so 413/414/431 and the limit arithmetic are reached quickly).

let tinyLimits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 6, maxBodyBytes: 32)
let limitSets = [HTTPParserLimits(), tinyLimits]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ExactBuffer(UnsafeRawBufferPointer(start: data, count: size)).withBytes { input in
        for limits in limitSets {
            let whole = ParserTranscript(input, delivery: .whole, limits: limits)
            let random = ParserTranscript(input, delivery: .random(max: 16), limits: limits)
            Fuzz.check(whole == random, "split changed the verdict:\n whole:  \(whole.summary)\n random: \(random.summary)")
            if size <= 2048 {
                let bytewise = ParserTranscript(input, delivery: .bytewise, limits: limits)
                Fuzz.check(whole == bytewise, "split changed the verdict:\n whole:    \(whole.summary)\n bytewise: \(bytewise.summary)")
            }
        }
    }
    return 0
}
