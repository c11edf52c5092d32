@testable import HTTPServer

/// Drives an `HTTPRequestParser` over a whole input, delivered `chunk` bytes at a time, the way a connection does:
/// unconsumed bytes are kept and offered again.
struct ParserHarness {
    var requests: [HTTPRequest] = []
    var heads: [HTTPRequestHead] = []
    var rejection: HTTPRejection?

    init(_ input: [UInt8], chunk: Int = .max, limits: HTTPParserLimits = HTTPParserLimits()) {
        var parser = HTTPRequestParser(limits: limits)
        var pending: [UInt8] = []
        var offset = 0
        outer: while true {
            if offset < input.count {
                let end = chunk >= input.count - offset ? input.count : offset + chunk
                pending.append(contentsOf: input[offset..<end])
                offset = end
            }
            while true {
                let (consumed, event) = parser.parse(pending)
                pending.removeFirst(consumed)
                switch event {
                case .needMore:
                    if offset >= input.count { break outer }
                    continue outer
                case .head(let head):
                    heads.append(head)
                case .request(let request):
                    requests.append(request)
                case .rejected(let rejection):
                    self.rejection = rejection
                    break outer
                }
            }
        }
    }

    init(_ text: String, chunk: Int = .max, limits: HTTPParserLimits = HTTPParserLimits()) {
        self.init(Array(text.utf8), chunk: chunk, limits: limits)
    }
}
