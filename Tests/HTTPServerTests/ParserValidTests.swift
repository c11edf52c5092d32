import Testing
@testable import HTTPServer

/// Valid requests, each parsed whole and one byte at a time.
struct ParserValidTests {
    static let chunkSizes = [Int.max, 1, 7]

    @Test(arguments: chunkSizes)
    func simpleGet(chunk: Int) {
        let h = ParserHarness("GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n", chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.count == 1)
        let r = h.requests[0]
        #expect(r.method == "GET")
        #expect(r.target == "/a/b?x=1&y=%20")
        #expect(r.path == "/a/b")
        #expect(r.query == "x=1&y=%20")
        #expect(r.versionMinor == 1)
        #expect(r.headers["host"] == "example")
        #expect(r.headers["ACCEPT"] == "*/*")
        #expect(r.body.isEmpty)
    }

    /// A query-less origin-form target shares its path's String; every other form keeps the target as sent.
    @Test("The target is the request line's bytes and the path its path part, whichever form",
          arguments: [("/campaigns/voice/cd-a1e45a7-e8ba-4e97", "/campaigns/voice/cd-a1e45a7-e8ba-4e97", nil),
                      ("/a", "/a", nil),
                      ("/campaigns/voice/cd-a1e45a7?dryRun=true", "/campaigns/voice/cd-a1e45a7", "dryRun=true"),
                      ("/long/path/without/a/query/but/empty/?", "/long/path/without/a/query/but/empty/", ""),
                      ("http://example.com/campaigns/voice/cd-a1e45a7", "/campaigns/voice/cd-a1e45a7", nil),
                      ("http://example.com", "/", nil),
                      ("http://a/%FF%FF%FF%FF", "/%FF%FF%FF%FF", nil)] as [(String, String, String?)])
    func targetAndPath(target: String, path: String, query: String?) {
        let h = ParserHarness("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(h.rejection == nil)
        #expect(h.requests.first?.target == target)
        #expect(h.requests.first?.path == path)
        #expect(h.requests.first?.query == query)
    }

    @Test("A target with bytes that are not UTF-8 keeps them repaired alike in target and path")
    func nonUTF8Target() {
        var line = Array("GET /a".utf8) + [0xFF, 0xFE] + Array("/b HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        var h = ParserHarness(line)
        if h.rejection == nil {
            #expect(h.requests.first?.target == String(decoding: Array("/a".utf8) + [0xFF, 0xFE] + Array("/b".utf8), as: UTF8.self))
            #expect(h.requests.first?.path == h.requests.first?.target)
        }
        line = Array("GET http://a/x".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array(" HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        h = ParserHarness(line)
        if h.rejection == nil {
            #expect(h.requests.first?.target == String(decoding: Array("http://a/x".utf8) + [0xFF, 0xFF, 0xFF, 0xFF], as: UTF8.self))
            #expect(h.requests.first?.path == String(decoding: Array("/x".utf8) + [0xFF, 0xFF, 0xFF, 0xFF], as: UTF8.self))
        }
    }

    @Test("Host values of every uri-host form are accepted",
          arguments: ["example.com", "example.com:8080", "127.0.0.1:80", "[::1]", "[::1]:8443", "a-b_c.~x", "h%41",
                      "example.com:", ""])
    func hostForms(host: String) {
        let h = ParserHarness("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n", chunk: 1)
        #expect(h.rejection == nil)
        #expect(h.requests.first?.headers["host"] == host)
    }

    @Test(arguments: chunkSizes)
    func contentLengthBody(chunk: Int) {
        let h = ParserHarness("PUT /c HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world", chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.first.map { String(decoding: $0.body, as: UTF8.self) } == "hello world")
        #expect(h.heads.first?.framing == .contentLength(11))
    }

    @Test(arguments: chunkSizes)
    func chunkedBodyWithExtensionsAndTrailers(chunk: Int) {
        let raw = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6 ; x\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\nY: z\r\n\r\n"
        let h = ParserHarness(raw, chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.first.map { String(decoding: $0.body, as: UTF8.self) } == "hello world0123456789")
        // Trailers are discarded, not merged into the headers.
        #expect(h.requests.first?.headers["x-trailer"] == nil)
    }

    @Test(arguments: chunkSizes)
    func pipelinedRequestsAreSeparated(chunk: Int) {
        let raw = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n"
        let h = ParserHarness(raw, chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.map(\.path) == ["/1", "/2", "/3"])
        #expect(h.requests[1].body == Array("abc".utf8))
    }

    @Test(arguments: chunkSizes)
    func absoluteFormTargetYieldsPath(chunk: Int) {
        let h = ParserHarness("GET http://example.com:8080/p/q?z=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", chunk: chunk)
        #expect(h.requests.first?.path == "/p/q")
        #expect(h.requests.first?.query == "z=1")
        let bare = ParserHarness("GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", chunk: chunk)
        #expect(bare.requests.first?.path == "/")
    }

    @Test(arguments: chunkSizes)
    func http10WithoutHostAndKeepAlive(chunk: Int) {
        let h = ParserHarness("GET / HTTP/1.0\r\n\r\n", chunk: chunk)
        #expect(h.requests.count == 1)
        #expect(h.heads.first?.keepAlive == false)
        let k = ParserHarness("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", chunk: chunk)
        #expect(k.heads.first?.keepAlive == true)
        let c = ParserHarness("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n", chunk: chunk)
        #expect(c.heads.first?.keepAlive == false)
    }

    @Test(arguments: chunkSizes)
    func expectContinueAndOWS(chunk: Int) {
        let h = ParserHarness("POST / HTTP/1.1\r\nHost: h\r\nExpect:  100-Continue \t\r\nContent-Length: 0\r\n\r\n", chunk: chunk)
        #expect(h.heads.first?.expectsContinue == true)
        #expect(h.requests.first?.headers["expect"] == "100-Continue")
    }

    @Test(arguments: chunkSizes)
    func leadingEmptyLinesAreIgnored(chunk: Int) {
        let h = ParserHarness("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.count == 1)
    }

    @Test(arguments: chunkSizes)
    func optionsAsteriskAndObsText(chunk: Int) {
        let raw: [UInt8] = Array("OPTIONS * HTTP/1.1\r\nHost: h\r\nX-Latin: caf".utf8) + [0xE9] + Array("\tok\r\n\r\n".utf8)
        let h = ParserHarness(raw, chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.first?.path == "*")
    }

    @Test(arguments: chunkSizes)
    func emptyHeaderValueAndLeadingZeroLength(chunk: Int) {
        let h = ParserHarness("POST / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nContent-Length: 003\r\n\r\nabc", chunk: chunk)
        #expect(h.rejection == nil)
        #expect(h.requests.first?.headers["x-empty"] == "")
        #expect(h.requests.first?.body.count == 3)
    }

    @Test
    func longHeaderLineParsesInLinearTime() {
        // 200 KB header value fed 100 bytes at a time under raised limits: a parser that rescans its buffer for CRLF
        // would do ~200 million byte comparisons here.
        let value = String(repeating: "a", count: 200_000)
        let raw = Array("GET / HTTP/1.1\r\nHost: h\r\nX-Big: \(value)\r\n\r\n".utf8)
        let limits = HTTPParserLimits(maxHeaderBytes: 1 << 20)
        let clock = ContinuousClock()
        var harness: ParserHarness?
        let elapsed = clock.measure { harness = ParserHarness(raw, chunk: 100, limits: limits) }
        #expect(harness?.requests.first?.headers["x-big"]?.utf8.count == 200_000)
        #expect(elapsed < .seconds(2))
    }
}

/// Field values are scanned eight bytes at a time; a control byte, DEL or whitespace must be seen wherever it sits
/// in a word, and the whitespace around the value trimmed whatever its length.
struct FieldValueScanTests {
    static func parse(_ value: [UInt8]) -> ParserHarness {
        ParserHarness(Array("GET / HTTP/1.1\r\nHost: h\r\nX-V: ".utf8) + value + Array("\r\n\r\n".utf8))
    }

    @Test func aForbiddenByteIsRefusedAtEveryPosition() {
        for length in [1, 7, 8, 9, 16, 23, 40] {
            for position in 0..<length {
                for bad: UInt8 in [0x00, 0x01, 0x0B, 0x1F, 0x7F] {
                    var value = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    value[position] = bad
                    #expect(Self.parse(value).rejection != nil, "byte \(bad) at \(position) of \(length)")
                }
            }
        }
    }

    @Test func whitespaceInsideIsKeptAndAroundTrimmed() throws {
        for length in [1, 8, 9, 17, 33] {
            for position in 0..<length {
                for space: UInt8 in [0x20, 0x09] {
                    var value = [UInt8](repeating: UInt8(ascii: "b"), count: length)
                    value[position] = space
                    let tail: [UInt8] = [0x20, 0x09, 0x20]
                    let parsed = Self.parse(value + tail)
                    #expect(parsed.rejection == nil)
                    var expected = value
                    // Optional whitespace around the value is not part of it.
                    while let last = expected.last, last == 0x20 || last == 0x09 { expected.removeLast() }
                    while let first = expected.first, first == 0x20 || first == 0x09 { expected.removeFirst() }
                    #expect(parsed.requests.first?.headers["x-v"] == String(decoding: expected, as: UTF8.self),
                            "\(space) at \(position) of \(length)")
                }
            }
        }
        // obs-text (bytes from 0x80) is allowed, as before.
        let parsed = Self.parse(Array("caf\u{e9} \u{2713}\u{2713}\u{2713}".utf8))
        #expect(parsed.requests.first?.headers["x-v"] == "caf\u{e9} \u{2713}\u{2713}\u{2713}")
    }
}
