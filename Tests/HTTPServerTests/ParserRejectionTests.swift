import Testing
@testable import HTTPServer

/// Every rejection class, with its status, parsed whole and one byte at a time.
struct ParserRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let raw: [UInt8]
        let status: Int
        var testDescription: String { name }

        init(_ name: String, _ raw: String, _ status: Int) {
            self.name = name
            self.raw = Array(raw.utf8)
            self.status = status
        }

        init(_ name: String, bytes: [UInt8], _ status: Int) {
            self.name = name
            self.raw = bytes
            self.status = status
        }
    }

    static let host = "Host: h\r\n"

    static let cases: [Case] = [
        // Smuggling and framing (RFC 9112 6).
        Case("CL with TE", "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("TE with CL", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400),
        Case("duplicate CL same", "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
        Case("duplicate CL differing", "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
        Case("CL list", "POST / HTTP/1.1\r\n\(host)Content-Length: 5, 5\r\n\r\nhello", 400),
        Case("CL plus sign", "POST / HTTP/1.1\r\n\(host)Content-Length: +5\r\n\r\nhello", 400),
        Case("CL minus sign", "POST / HTTP/1.1\r\n\(host)Content-Length: -5\r\n\r\n", 400),
        Case("CL hex", "POST / HTTP/1.1\r\n\(host)Content-Length: 0x10\r\n\r\n", 400),
        Case("CL empty", "POST / HTTP/1.1\r\n\(host)Content-Length: \r\n\r\n", 400),
        Case("CL overflow", "POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n", 400),
        Case("TE gzip", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", 501),
        Case("TE gzip, chunked", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
        Case("TE chunked, identity", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, identity\r\n\r\n", 501),
        Case("TE chunked twice", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
        Case("TE empty element", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: ,chunked\r\n\r\n", 400),
        Case("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        // Field syntax (RFC 9112 5).
        Case("space before colon", "GET / HTTP/1.1\r\n\(host)Transfer-Encoding : chunked\r\n\r\n", 400),
        Case("tab before colon", "GET / HTTP/1.1\r\n\(host)X-A\t: b\r\n\r\n", 400),
        Case("obs-fold", "GET / HTTP/1.1\r\n\(host)X-A: b\r\n  continued\r\n\r\n", 400),
        Case("whitespace before first field", "GET / HTTP/1.1\r\n \(host)\r\n", 400),
        Case("bare CR in value", "GET / HTTP/1.1\r\n\(host)X-A: b\rc\r\n\r\n", 400),
        Case("bare LF header line", "GET / HTTP/1.1\r\n\(host)X-A: b\n\r\n", 400),
        Case("bare LF end of head", "GET / HTTP/1.1\r\n\(host)\n", 400),
        Case("bare LF request line", "GET / HTTP/1.1\n\(host)\r\n", 400),
        Case("NUL in value", bytes: Array("GET / HTTP/1.1\r\n\(host)X-A: b".utf8) + [0] + Array("c\r\n\r\n".utf8), 400),
        Case("DEL in value", bytes: Array("GET / HTTP/1.1\r\n\(host)X-A: b".utf8) + [0x7F] + Array("\r\n\r\n".utf8), 400),
        Case("escape in value", bytes: Array("GET / HTTP/1.1\r\n\(host)X-A: ".utf8) + [0x1B] + Array("\r\n\r\n".utf8), 400),
        Case("no colon", "GET / HTTP/1.1\r\n\(host)NoColon\r\n\r\n", 400),
        Case("empty name", "GET / HTTP/1.1\r\n\(host): v\r\n\r\n", 400),
        Case("bad name char", "GET / HTTP/1.1\r\n\(host)X(A): v\r\n\r\n", 400),
        // Host (RFC 9112 3.2).
        Case("missing Host 1.1", "GET / HTTP/1.1\r\n\r\n", 400),
        Case("duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        Case("duplicate Host 1.0", "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400),
        Case("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        Case("Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        Case("Host comma list", "GET / HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n", 400),
        Case("Host comma list without space", "GET / HTTP/1.1\r\nHost: a.example,b.example\r\n\r\n", 400),
        Case("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@a.example\r\n\r\n", 400),
        Case("Host port not digits", "GET / HTTP/1.1\r\nHost: a.example:80a\r\n\r\n", 400),
        Case("Host port out of range", "GET / HTTP/1.1\r\nHost: a.example:65536\r\n\r\n", 400),
        Case("Host two ports", "GET / HTTP/1.1\r\nHost: a.example:80:81\r\n\r\n", 400),
        Case("Host unclosed IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
        Case("Host bad percent escape", "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", 400),
        Case("Host port without host", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400),
        // Request line (RFC 9112 3).
        Case("invalid method char", "GE(T / HTTP/1.1\r\n\(host)\r\n", 400),
        Case("empty method", " / HTTP/1.1\r\n\(host)\r\n", 400),
        Case("double space", "GET  / HTTP/1.1\r\n\(host)\r\n", 400),
        Case("tab separator", "GET\t/ HTTP/1.1\r\n\(host)\r\n", 400),
        Case("no version", "GET /\r\n\(host)\r\n", 400),
        Case("lowercase version", "GET / http/1.1\r\n\(host)\r\n", 400),
        Case("fragment in target", "GET /a#b HTTP/1.1\r\n\(host)\r\n", 400),
        Case("relative target", "GET a/b HTTP/1.1\r\n\(host)\r\n", 400),
        Case("asterisk for GET", "GET * HTTP/1.1\r\n\(host)\r\n", 400),
        Case("bad scheme", "GET ftp://x/ HTTP/1.1\r\n\(host)\r\n", 400),
        Case("bare CR request line", "GET /\r HTTP/1.1\r\n\(host)\r\n", 400),
        Case("non-ASCII target", bytes: Array("GET /".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\n\(host)\r\n".utf8), 400),
        Case("HTTP/2.0", "GET / HTTP/2.0\r\n\(host)\r\n", 505),
        Case("HTTP/1.2", "GET / HTTP/1.2\r\n\(host)\r\n", 505),
        Case("HTTP/0.9", "GET / HTTP/0.9\r\n\(host)\r\n", 505),
        // Chunked body (RFC 9112 7.1).
        Case("chunk size not hex", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        Case("chunk size empty", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n\r\n", 400),
        Case("chunk size sign", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk size overflow", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n", 400),
        Case("chunk size trailing junk", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk data too long", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk bare LF", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400),
        Case("chunk ext control", bytes: Array("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=".utf8) + [1] + Array("\r\nhello\r\n0\r\n\r\n".utf8), 400),
        Case("bad trailer", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n", 400),
        // Limits.
        Case("CL over body limit", "POST / HTTP/1.1\r\n\(host)Content-Length: 1048577\r\n\r\n", 413),
        Case("chunk over body limit", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n100001\r\n", 413),
        Case("request line too long", "GET /" + String(repeating: "a", count: 8200) + " HTTP/1.1\r\n\(host)\r\n", 414),
        Case("endless request line", "GET /" + String(repeating: "a", count: 200_000), 414),
        Case("header section too large", "GET / HTTP/1.1\r\n\(host)X-A: " + String(repeating: "b", count: 17_000) + "\r\n\r\n", 431),
        Case("endless header line", "GET / HTTP/1.1\r\n\(host)X-A: " + String(repeating: "b", count: 200_000), 431),
        Case("too many fields", "GET / HTTP/1.1\r\n\(host)" + String(repeating: "X-A: b\r\n", count: 100) + "\r\n", 431),
    ]

    @Test(arguments: cases)
    func rejectedWhole(_ c: Case) {
        let h = ParserHarness(c.raw)
        #expect(h.rejection?.status == c.status, "\(c.name)")
        #expect(h.requests.isEmpty)
    }

    @Test(arguments: cases)
    func rejectedByteByByte(_ c: Case) {
        let h = ParserHarness(c.raw, chunk: 1)
        #expect(h.rejection?.status == c.status, "\(c.name)")
        #expect(h.requests.isEmpty)
    }

    @Test
    func chunkedBodyAccumulatesAgainstLimit() {
        let limits = HTTPParserLimits(maxBodyBytes: 8)
        let h = ParserHarness("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n",
                              limits: limits)
        #expect(h.rejection?.status == 413)
    }

    @Test
    func headerCountAtLimitIsAccepted() {
        let raw = "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 99) + "Host: h\r\n\r\n"
        #expect(ParserHarness(raw).requests.count == 1)
    }

    @Test
    func failedParserStaysFailed() {
        var parser = HTTPRequestParser()
        _ = parser.parse(Array("GET / HTTP/9.9\r\n".utf8))
        let (consumed, event) = parser.parse(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(consumed == 0)
        guard case .rejected = event else {
            Issue.record("expected rejection")
            return
        }
    }
}
