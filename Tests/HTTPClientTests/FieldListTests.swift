import HTTPCore
@testable import HTTPClient
import Testing

/// Field values read as lists of bytes (`HTTPFieldList`) where the client frames answers and drops the fields it
/// writes itself: the same verdicts whatever the case, spacing or empty elements.
@Suite struct FieldListTests {
    static func elements(_ value: String) -> [String] {
        var out: [String] = []
        HTTPFieldList.forEachElement(value) { out.append(String(decoding: $0, as: UTF8.self)); return true }
        return out
    }

    @Test func elementsKeepEmptiesAndDropOptionalWhitespace() {
        #expect(Self.elements("") == [""])
        #expect(Self.elements("a") == ["a"])
        #expect(Self.elements(" a ,\tb\t, ,c,") == ["a", "b", "", "c", ""])
        #expect(Self.elements(",") == ["", ""])
        var seen = 0
        let finished = HTTPFieldList.forEachElement("x, y, z") { _ in seen += 1; return seen < 2 }
        #expect(!finished && seen == 2)
    }

    static func verdict(_ head: String) -> ResponseParserTests.Verdict {
        ResponseParserTests.both("HTTP/1.1 200 OK\r\n" + head)
    }

    @Test func framingFieldsAreReadCaseInsensitivelyWithSpacesAndEmptyElements() {
        #expect(Self.verdict("Content-Length: 3 ,3\r\n\r\nabc") == .response(status: 200, body: "abc", reusable: true))
        #expect(Self.verdict("Content-Length: 3,\r\n\r\nabc") == .failed(.malformed("invalid Content-Length")))
        #expect(Self.verdict("Content-Length: 3, 4\r\n\r\nabc") == .failed(.malformed("conflicting Content-Length values")))
        #expect(Self.verdict("Content-Length: 1234567890123456\r\n\r\n") == .failed(.malformed("invalid Content-Length")))
        #expect(Self.verdict("Transfer-Encoding: , CHUNKED ,\r\n\r\n2\r\nok\r\n0\r\n\r\n") == .response(status: 200, body: "ok", reusable: true))
        #expect(Self.verdict("Transfer-Encoding: chunked, chunked\r\n\r\n") == .failed(.unsupportedContentEncoding("Transfer-Encoding: chunked")))
        #expect(Self.verdict("Transfer-Encoding: GZip\r\n\r\n") == .failed(.unsupportedContentEncoding("Transfer-Encoding: gzip")))
        #expect(Self.verdict("Connection: Keep-Alive ,  CLOSE\r\nContent-Length: 0\r\n\r\n") == .response(status: 200, body: "", reusable: false))
        #expect(Self.verdict("Connection: closed\r\nContent-Length: 0\r\n\r\n") == .response(status: 200, body: "", reusable: true))
        #expect(Self.verdict("Content-Encoding: , IDENTITY\r\nContent-Length: 1\r\n\r\nx") == .response(status: 200, body: "x", reusable: true))
        #expect(Self.verdict("Content-Encoding: identity, BR\r\nContent-Length: 1\r\n\r\nx") == .failed(.unsupportedContentEncoding("br")))
    }

    @Test func headerNamesComeBackLowercase() throws {
        var parser = HTTPResponseParser(requestMethod: "GET")
        let text = Array("HTTP/1.1 200 OK\r\nX-Request-ID: a\r\nCONTENT-LENGTH: 0\r\nRetry-After-Extra-Long-Name: b\r\n\r\n".utf8)
        let (_, outcome) = text.withUnsafeBytes { parser.feed($0) }
        guard case .complete(let response, _) = outcome else { Issue.record("no answer: \(outcome)"); return }
        #expect(response.headers.map(\.name) == ["x-request-id", "content-length", "retry-after-extra-long-name"])
        #expect(response.headers.map(\.value) == ["a", "0", "b"])
    }

    @Test func fieldsTheClientWritesItselfAreDroppedWhateverTheirCase() throws {
        let target = HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: 8080, pathAndQuery: "/x")
        let reserved = ["HOST", "content-length", "Transfer-Encoding", "CONNECTION", "Accept-Encoding", "te", "TE",
                        "Upgrade", "proxy-connection", "Keep-Alive"]
        let request = HTTPClientRequest(method: "PUT", target: target,
                                        headers: reserved.map { (name: $0, value: "v") } + [(name: "auth", value: "t")],
                                        body: Array("{}".utf8))
        let bytes = try #require(HTTPRequestEncoder.encode(request))
        #expect(String(decoding: bytes, as: UTF8.self)
            == "PUT /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nauth: t\r\nAccept-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}")
        for name in ["hosts", "te2", "x-upgrade", "connections"] { #expect(!HTTPRequestEncoder.isReserved(name), "\(name)") }
    }

    @Test func contentLengthDigits() {
        for n in [0, 7, 10, 99, 100, 12345, Int.max] {
            var out: [UInt8] = []
            HTTPRequestEncoder.appendDecimal(n, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(n))
        }
    }
}
