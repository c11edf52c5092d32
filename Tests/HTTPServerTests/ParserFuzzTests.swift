import TestSupport
import Testing
@testable import HTTPServer

/// Seeded random mutations of valid requests: the parser must never crash, and its verdict must not depend on how
/// the bytes were split (whole, one byte at a time, random chunks).
struct ParserFuzzTests {
    static let seeds: [String] = [
        "GET /a?b=c HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
        "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n",
    ]

    static let interesting: [UInt8] = Array(" \t\r\n:;,0123456789aAfF+-/?#%\u{7F}".utf8) + [0, 1, 0x80, 0xFF]

    /// A comparable summary of everything the parser produced.
    static func verdict(_ h: ParserHarness) -> String {
        let requests = h.requests.map { "\($0.method) \($0.target) \($0.headers.count) \($0.body.count)" }
        return requests.joined(separator: "|") + " -> " + (h.rejection.map { "\($0.status)" } ?? "ok")
    }

    @Test
    func splittingNeverChangesTheVerdict() {
        var random = SeededGenerator(seed: 0xC0FFEE)
        let limits = HTTPParserLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 6, maxBodyBytes: 32)
        for _ in 0..<3000 {
            var bytes = Array(Self.seeds[random.below(Self.seeds.count)].utf8)
            for _ in 0..<(1 + random.below(4)) {
                let position = random.below(bytes.count)
                switch random.below(4) {
                case 0: bytes[position] = Self.interesting[random.below(Self.interesting.count)]
                case 1: bytes.insert(Self.interesting[random.below(Self.interesting.count)], at: position)
                case 2: bytes.remove(at: position)
                default: bytes.insert(contentsOf: repeatElement(UInt8(ascii: "x"), count: random.below(100)), at: position)
                }
                if bytes.isEmpty { bytes = [13, 10] }
            }
            let whole = Self.verdict(ParserHarness(bytes, limits: limits))
            let single = Self.verdict(ParserHarness(bytes, chunk: 1, limits: limits))
            let chunked = Self.verdict(ParserHarness(bytes, chunk: 1 + random.below(9), limits: limits))
            #expect(whole == single, "\(bytes)")
            #expect(whole == chunked, "\(bytes)")
        }
    }
}
