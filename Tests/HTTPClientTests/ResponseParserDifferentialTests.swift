import HTTPClient
import TestSupport
import Testing

/// The parser that keeps header fields as byte ranges against the one that made a String per name and value
/// (`ReferenceResponseParser`): generated answers (framing fields in every case and spacing, repeats, conflicts,
/// bad lines, interim answers, trailing bytes), fed in the same random pieces, must get the same verdict at every
/// step: bytes consumed, outcome, status, every field in order, the fields looked up by name, body, reusability.
@Suite struct ResponseParserDifferentialTests {
    static let names = ["Content-Length", "content-length", "CONTENT-LENGTH", "Transfer-Encoding", "transfer-encoding",
                        "Connection", "CONNECTION", "Content-Encoding", "content-encoding", "Content-Type", "Retry-After",
                        "Date", "Server", "X-Custom", "Content-Lengths", "Connectio", "TE"]
    static let values = ["0", "5", " 5 ", "5, 5", "5,6", "5,", ",5", "", "abc", "-1", "0000000000000005", "123456789012345",
                         "chunked", "Chunked", "gzip, chunked", "chunked, chunked", "identity", "gzip", " identity , ",
                         "close", "Keep-Alive, CLOSE", "keep-alive", "application/json", "120", "caf\u{e9}",
                         "Sun, 06 Dec 2026 21:07:12 GMT", "nginx/1.24.0", "a\u{01}b", "\t tabbed \t"]
    static let statusLines = ["HTTP/1.1 200 OK", "HTTP/1.1 200", "HTTP/1.0 200 OK", "HTTP/1.1 204 No Content",
                              "HTTP/1.1 304 Not Modified", "HTTP/1.1 404 Not Found", "HTTP/1.1 503 Busy", "HTTP/1.1 101 Switching",
                              "HTTP/2.0 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 200OK", "HTTP/1.1 429 \u{01}"]

    enum Step: Equatable {
        case needMore(consumed: Int)
        case complete(consumed: Int, status: Int, fields: [String], lookedUp: [String?], body: [UInt8], reusable: Bool)
        case failed(consumed: Int, HTTPResponseParser.Failure)
    }

    static let lookups = ["content-type", "retry-after", "content-length", "date", "x-custom", "missing"]

    static func step(_ consumed: Int, _ outcome: HTTPResponseParser.Outcome, lookUp: (HTTPClientResponse, String) -> String?) -> Step {
        switch outcome {
        case .needMore: return .needMore(consumed: consumed)
        case .failed(let failure): return .failed(consumed: consumed, failure)
        case .complete(let response, let reusable):
            return .complete(consumed: consumed, status: response.status,
                             fields: response.headers.map { "\($0.name): \($0.value)" },
                             lookedUp: lookups.map { lookUp(response, $0) }, body: response.body, reusable: reusable)
        }
    }

    static func generate(_ random: inout SeededGenerator) -> [UInt8] {
        var text = ""
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        if random.next() % 5 == 0 { text += "HTTP/1.1 100 Continue\r\n" + (random.next() % 2 == 0 ? "X-Interim: 1\r\n" : "") + "\r\n" }
        text += random.next() % 3 == 0 ? pick(statusLines) : "HTTP/1.1 200 OK"
        text += "\r\n"
        let body = String(repeating: "b", count: Int(random.next() % 12))
        for _ in 0..<Int(random.next() % 7) {
            switch random.next() % 20 {
            case 0: text += " folded: x\r\n"
            case 1: text += "no colon here\r\n"
            case 2: text += "Bad Name: x\r\n"
            case 3: text += "X-LF: y\n"
            default: text += pick(names) + ":" + (random.next() % 2 == 0 ? " " : "") + pick(values) + "\r\n"
            }
        }
        switch random.next() % 4 {
        case 0: text += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        case 1:
            text += "Transfer-Encoding: chunked\r\n\r\n"
            if !body.isEmpty { text += String(body.utf8.count, radix: 16) + "\r\n" + body + "\r\n" }
            text += "0\r\n" + (random.next() % 2 == 0 ? "X-Trailer: t\r\n" : "") + "\r\n"
        case 2: text += "\r\n" + body
        default: text += "\r\n"
        }
        if random.next() % 4 == 0 { text += "HTTP/1.1 200 OK\r\n" }
        return Array(text.utf8)
    }

    @Test func byteRangeFieldsGiveTheSameVerdictAsAStringPerField() {
        var random = SeededGenerator(seed: 0x16C)
        let methods = ["GET", "DELETE", "HEAD", "CONNECT"]
        var completed = 0
        for round in 0..<3000 {
            let bytes = Self.generate(&random)
            let method = methods[Int(random.next() % UInt64(methods.count))]
            let limits = random.next() % 6 == 0
                ? HTTPResponseParser.Limits(maxHeadBytes: 40 + Int(random.next() % 80), maxBodyBytes: Int(random.next() % 10))
                : HTTPResponseParser.Limits()
            var cuts = (0..<Int(random.next() % 4)).map { _ in Int(random.next() % UInt64(bytes.count + 1)) }
            cuts.append(bytes.count)
            cuts.sort()
            var parser = HTTPResponseParser(requestMethod: method, limits: limits)
            var reference = ReferenceResponseParser(requestMethod: method, limits: limits)
            var start = 0
            var steps: [Step] = [], referenceSteps: [Step] = []
            var finished = false
            for cut in cuts where !finished {
                let piece = Array(bytes[start..<cut])
                let (consumed, outcome) = piece.withUnsafeBytes { parser.feed($0) }
                let (referenceConsumed, referenceOutcome) = piece.withUnsafeBytes { reference.feed($0) }
                steps.append(Self.step(consumed, outcome) { $0.header($1) })
                referenceSteps.append(Self.step(referenceConsumed, referenceOutcome) { r, name in r.headers.first { $0.name == name }?.value })
                if case .needMore = outcome { start += consumed } else { finished = true }
            }
            if !finished {
                steps.append(Self.step(0, parser.endOfInput()) { $0.header($1) })
                referenceSteps.append(Self.step(0, reference.endOfInput()) { r, name in r.headers.first { $0.name == name }?.value })
            }
            if case .complete = steps.last { completed += 1 }
            guard steps == referenceSteps else {
                Issue.record("round \(round), \(method), \(limits): \(String(decoding: bytes, as: UTF8.self).debugDescription)\nnew: \(steps)\nold: \(referenceSteps)")
                return
            }
        }
        // The generator must reach complete answers often, not only failures.
        #expect(completed > 500, "only \(completed) of 3000 generated answers completed")
    }
}
