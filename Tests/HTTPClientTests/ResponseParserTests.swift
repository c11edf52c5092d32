import HTTPClient
import TestSupport
import Testing

/// The response parser alone: every input is fed whole and byte at a time, and both must give the same verdict.
@Suite struct ResponseParserTests {
    enum Verdict: Equatable {
        case response(status: Int, body: String, reusable: Bool)
        case failed(HTTPResponseParser.Failure)
        case incomplete
    }

    static func parse(_ text: String, method: String = "GET", limits: HTTPResponseParser.Limits = .init(), eof: Bool = false,
                      byteAtATime: Bool) -> Verdict {
        var parser = HTTPResponseParser(requestMethod: method, limits: limits)
        let bytes = Array(text.utf8)
        let pieces: [[UInt8]] = byteAtATime ? bytes.map { [$0] } : [bytes]
        var index = 0
        for piece in pieces {
            let (consumed, outcome) = piece.withUnsafeBytes { parser.feed($0) }
            index += consumed
            switch outcome {
            case .needMore: continue
            case .complete(let r, let reusable):
                return .response(status: r.status, body: String(decoding: r.body, as: UTF8.self), reusable: reusable && index == bytes.count)
            case .failed(let f): return .failed(f)
            }
        }
        guard eof else { return .incomplete }
        switch parser.endOfInput() {
        case .complete(let r, let reusable): return .response(status: r.status, body: String(decoding: r.body, as: UTF8.self), reusable: reusable)
        case .failed(let f): return .failed(f)
        case .needMore: return .incomplete
        }
    }

    static func both(_ text: String, method: String = "GET", limits: HTTPResponseParser.Limits = .init(), eof: Bool = false) -> Verdict {
        let whole = parse(text, method: method, limits: limits, eof: eof, byteAtATime: false)
        let bytewise = parse(text, method: method, limits: limits, eof: eof, byteAtATime: true)
        #expect(whole == bytewise, "whole and byte-at-a-time disagree for \(text.debugDescription)")
        return whole
    }

    static func isMalformed(_ v: Verdict) -> Bool {
        if case .failed(.malformed) = v { return true }
        return false
    }

    @Test func contentLengthBody() {
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") == .response(status: 200, body: "hello", reusable: true))
    }

    @Test func chunkedBodyWithExtensionAndTrailer() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n"
        #expect(Self.both(text) == .response(status: 200, body: "hello!", reusable: true))
    }

    @Test func closeDelimitedBodyEndsAtEOFAndIsNotReused() {
        #expect(Self.both("HTTP/1.1 200 OK\r\n\r\nuntil close") == .incomplete)
        #expect(Self.both("HTTP/1.1 200 OK\r\n\r\nuntil close", eof: true) == .response(status: 200, body: "until close", reusable: false))
    }

    @Test func interimAnswersAreSkipped() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"
        #expect(Self.both(text) == .response(status: 201, body: "ok", reusable: true))
    }

    /// Each interim answer has a head budget of its own, so their number is what bounds an upstream that sends
    /// nothing but 1xx heads.
    @Test func interimAnswersAreLimitedInNumber() {
        let interim = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        let final = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        let limit = HTTPResponseParser.maxInterimAnswers
        #expect(Self.both(String(repeating: interim, count: limit) + final) == .response(status: 200, body: "ok", reusable: true))
        let verdict = Self.both(String(repeating: interim, count: limit + 1) + final)
        #expect(Self.isMalformed(verdict), "\(verdict)")
        // An endless stream of them is refused, not read forever.
        #expect(Self.isMalformed(Self.both(String(repeating: interim, count: 1000))))
    }

    @Test func noBodyFor204And304AndHEADAndConnect() {
        #expect(Self.both("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n") == .response(status: 204, body: "", reusable: true))
        #expect(Self.both("HTTP/1.1 304 Not Modified\r\n\r\n") == .response(status: 304, body: "", reusable: true))
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", method: "HEAD") == .response(status: 200, body: "", reusable: true))
        #expect(Self.both("HTTP/1.1 200 Connection established\r\n\r\n", method: "CONNECT") == .response(status: 200, body: "", reusable: true))
    }

    @Test func connectionCloseAndHTTP10AreNotReused() {
        #expect(Self.both("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n") == .response(status: 200, body: "", reusable: false))
        #expect(Self.both("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") == .response(status: 200, body: "", reusable: false))
    }

    @Test func bytesAfterTheAnswerMakeTheConnectionUnusable() {
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA") == .response(status: 200, body: "x", reusable: false))
    }

    @Test func contentEncodingOtherThanIdentityIsRefused() {
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc") == .failed(.unsupportedContentEncoding("gzip")))
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Length: 3\r\n\r\nabc") == .response(status: 200, body: "abc", reusable: true))
        #expect(Self.both("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == .failed(.unsupportedContentEncoding("Transfer-Encoding: gzip")))
    }

    @Test func bodyCapIsCheckedOnTheDeclaredLengthAndAsBytesArrive() {
        let limits = HTTPResponseParser.Limits(maxHeadBytes: 1024, maxBodyBytes: 8)
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n", limits: limits) == .failed(.bodyTooLarge(104_857_600)))
        #expect(Self.both("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\n", limits: limits) == .failed(.bodyTooLarge(10)))
        #expect(Self.both("HTTP/1.1 200 OK\r\n\r\n0123456789", limits: limits) == .failed(.bodyTooLarge(9)))
    }

    @Test func headOverTheLimitIsRefused() {
        let limits = HTTPResponseParser.Limits(maxHeadBytes: 64, maxBodyBytes: 1024)
        let text = "HTTP/1.1 200 OK\r\nX-Long: " + String(repeating: "a", count: 100) + "\r\n\r\n"
        #expect(Self.both(text, limits: limits) == .failed(.headTooLarge(limit: 64)))
        #expect(Self.both("HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: 1\r\n", count: 20) + "\r\n", limits: limits) == .failed(.headTooLarge(limit: 64)))
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH_9.2\r\n",
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\u{01}b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ])
    func malformedAnswersAreRefused(_ text: String) {
        let verdict = Self.both(text)
        #expect(Self.isMalformed(verdict), "\(text.debugDescription) gave \(verdict)")
    }

    @Test func repeatedEqualContentLengthsAreAccepted() {
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok") == .response(status: 200, body: "ok", reusable: true))
    }

    @Test func headersAreLowercasedAndKept() {
        var parser = HTTPResponseParser(requestMethod: "GET")
        let bytes = Array("HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n".utf8)
        let (_, outcome) = bytes.withUnsafeBytes { parser.feed($0) }
        guard case .complete(let response, _) = outcome else { Issue.record("no response"); return }
        #expect(response.status == 429)
        #expect(response.header("retry-after") == "7")
        #expect(response.headers.filter { $0.name == "x-a" }.map(\.value) == ["1", "2"])
    }

    /// The fields' buffer starts at 256 bytes and grows by copying what it holds; an interim answer's fields are
    /// dropped before the final answer's. Every field comes back in order, each name lowercased, fed whole and
    /// byte at a time.
    @Test func manyLongFieldsAfterAnInterimAnswerAreKeptInOrder() {
        let fields = (0..<40).map { (name: "X-Field-\($0)", value: String(repeating: Character(UnicodeScalar(UInt8(97 + $0 % 26))), count: 3 * $0)) }
        let head = "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\nHTTP/1.1 200 OK\r\n"
            + fields.map { "\($0.name): \($0.value)\r\n" }.joined() + "Content-Length: 0\r\n\r\n"
        for byteAtATime in [false, true] {
            var parser = HTTPResponseParser(requestMethod: "GET")
            let bytes = Array(head.utf8)
            var complete: HTTPClientResponse?
            for piece in byteAtATime ? bytes.map({ [$0] }) : [bytes] {
                let (_, outcome) = piece.withUnsafeBytes { parser.feed($0) }
                if case .complete(let response, _) = outcome { complete = response }
            }
            guard let response = complete else { Issue.record("no response, byte at a time: \(byteAtATime)"); continue }
            let expected = fields.map { (name: $0.name.lowercased(), value: $0.value) } + [(name: "content-length", value: "0")]
            #expect(response.headers.map(\.name) == expected.map(\.name), "byte at a time: \(byteAtATime)")
            #expect(response.headers.map(\.value) == expected.map(\.value), "byte at a time: \(byteAtATime)")
            #expect(response.header("x-field-39") == fields[39].value && response.header("x-interim") == nil)
        }
    }

    @Test func truncatedAnswersAreTruncated() {
        #expect(Self.both("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", eof: true) == .failed(.truncated))
        #expect(Self.both("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc", eof: true) == .failed(.truncated))
        #expect(Self.both("HTTP/1.1 200", eof: true) == .failed(.truncated))
    }
}
