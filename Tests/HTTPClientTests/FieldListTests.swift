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

    /// The request as the encoder wrote it before it read names and values on their bytes: Strings, `lowercased()`
    /// names, and a check of every byte through the UTF-8 views. The reference the byte-wise encoder is held to.
    static func reference(_ request: HTTPClientRequest) -> [UInt8]? {
        let target = request.target
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(HTTPByteClass.isToken), target.isWritable else { return nil }
        let reserved: Set<String> = ["te", "host", "upgrade", "connection", "keep-alive", "content-length", "accept-encoding",
                                     "proxy-connection", "transfer-encoding"]
        var text = "\(request.method) \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        for (name, value) in request.headers where !reserved.contains(name.lowercased()) {
            guard !name.isEmpty, name.utf8.allSatisfy(HTTPByteClass.isToken),
                  value.utf8.allSatisfy(HTTPByteClass.isFieldValue) else { return nil }
            text += "\(name): \(value)\r\n"
        }
        text += "Accept-Encoding: identity\r\n"
        var out = Array(text.utf8)
        if let body = request.body {
            out += Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        } else {
            if ["POST", "PUT", "PATCH"].contains(request.method) { out += Array("Content-Length: 0\r\n".utf8) }
            out += Array("\r\n".utf8)
        }
        return out
    }

    /// Names and values checked eight bytes at a time must reach the same verdict as byte by byte, wherever the
    /// offending byte sits, and write the same bytes when there is none.
    @Test func theEncoderWritesWhatTheStringReferenceWrites() {
        var generator = SystemRandomNumberGenerator()
        let targets = [
            HTTPRequestTarget(scheme: .http, host: "127.0.0.1", port: 8080, pathAndQuery: "/api/public/v2/campaigns/cd-1?x=1"),
            HTTPRequestTarget(scheme: .https, host: "bots.kore.ai", port: 443, pathAndQuery: "/p"),
            HTTPRequestTarget(scheme: .http, host: "::1", port: 80, pathAndQuery: "/"),
            HTTPRequestTarget(scheme: .https, host: "fe80::1%eth0", port: 8443, pathAndQuery: "/q?a=b"),
            HTTPRequestTarget(scheme: .http, host: "h", port: 80, pathAndQuery: "/with space"),
            HTTPRequestTarget(scheme: .http, host: "h\r\n", port: 80, pathAndQuery: "/"),
        ]
        let values = ["", "v", "a\tb", "token-" + String(repeating: "x", count: 300), "caf\u{e9} \u{2713}",
                      String(repeating: "y", count: 17) + "\u{7F}", String(repeating: "z", count: 9) + "\r\n" + "Evil: 1",
                      "\u{01}" + String(repeating: "w", count: 20), String(repeating: "u", count: 8) + "\u{0}",
                      "abc\u{7F}" + String(repeating: "d", count: 12), String(repeating: "d", count: 9) + "\u{7F}" + String(repeating: "d", count: 10),
                      String(repeating: "e", count: 13) + "\u{0}" + String(repeating: "e", count: 10)]
        let names = ["auth", "X-Trace", "Content-Length", "HOST", "bad name", "", "ünïcode", "accountId"]
        for _ in 0..<400 {
            var headers: [(name: String, value: String)] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                headers.append((name: names.randomElement(using: &generator)!, value: values.randomElement(using: &generator)!))
            }
            let request = HTTPClientRequest(method: ["GET", "PUT", "DELETE", "POST", "B@D", ""].randomElement(using: &generator)!,
                                            target: targets.randomElement(using: &generator)!, headers: headers,
                                            body: Bool.random(using: &generator) ? nil : Array("{\"a\":1}".utf8))
            let written = HTTPRequestEncoder.encode(request)
            let expected = Self.reference(request)
            #expect(written == expected, "\(request.method) \(request.target) \(headers)")
        }
    }

    /// The target's path checked eight bytes at a time must refuse exactly what a byte-by-byte check refuses
    /// (nothing at or below SP, DEL, no byte above ASCII, no `#`), wherever the byte sits in or across words.
    @Test func pathCheckedByWordsRefusesWhatAByteByByteCheckRefuses() {
        let offending: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x7F, 0x80, 0xC3, 0xFF, UInt8(ascii: "#")]
        let fine: [UInt8] = [0x21, 0x7E, UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "%"), UInt8(ascii: "a"), 0x22, 0x24]
        var checked = 0
        for length in 1...40 {
            for position in 0..<length {
                for bad in offending + fine {
                    var path = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    path[0] = UInt8(ascii: "/")
                    if position > 0 { path[position] = bad }
                    let expected = path.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }
                    let byWords = path.withUnsafeBufferPointer { HTTPRequestTarget.isVisibleASCIIWithoutHash($0) }
                    #expect(byWords == expected, "\(path) at \(position)")
                    let target = HTTPRequestTarget(scheme: .http, host: "h", port: 80,
                                                   pathAndQuery: String(decoding: path, as: UTF8.self))
                    let decoded = Array(target.pathAndQuery.utf8)
                    #expect(target.isWritable == decoded.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") })
                    checked += 1
                }
            }
        }
        #expect(checked > 10_000)
    }

    /// The encoder's writer never writes past its buffer: a write that does not fit is dropped and remembered, and
    /// `encode` then refuses the request rather than send a part of it.
    @Test func theWriterRefusesWhatDoesNotFit() {
        let text: [UInt8] = Array("abcdef".utf8)
        let written = [UInt8](unsafeUninitializedCapacity: 8) { buffer, initialized in
            var writer = ByteWriter(UnsafeMutableBufferPointer(rebasing: buffer[0..<4]))
            text.withUnsafeBufferPointer { writer.append(UnsafeBufferPointer(rebasing: $0[0..<3])) }
            #expect(!writer.overflowed && writer.count == 3)
            text.withUnsafeBufferPointer { writer.append($0) }
            #expect(writer.overflowed && writer.count == 3, "six bytes do not fit in the one left")
            writer.append(UInt8(ascii: "z"))
            writer.append(UInt8(ascii: "z"))
            #expect(writer.count == 4, "one byte fits, the next does not")
            writer.appendDecimal(12345)
            #expect(writer.count == 4)
            initialized = writer.count
        }
        #expect(written == Array("abcz".utf8))
    }

    @Test func contentLengthDigits() {
        for n in [0, 7, 10, 99, 100, 12345, Int.max] {
            var out: [UInt8] = []
            DecimalDigits.forEach(of: n) { out.append($0) }
            #expect(String(decoding: out, as: UTF8.self) == String(n))
        }
    }
}
