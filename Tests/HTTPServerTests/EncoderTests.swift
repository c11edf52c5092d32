import Testing
@testable import HTTPServer

struct EncoderTests {
    static let date = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)

    static func text(_ response: HTTPResponse, _ context: HTTPResponseContext = HTTPResponseContext()) -> String {
        String(decoding: HTTPResponseEncoder.encode(response, context: context, date: date), as: UTF8.self)
    }

    @Test
    func addsFramingAndDate() {
        let out = Self.text(HTTPResponse(status: 200, headers: ["Content-Type": "text/plain", "Content-Length": "99"],
                                         body: Array("hi".utf8)))
        #expect(out == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            + "Content-Length: 2\r\n\r\nhi")
    }

    @Test
    func headKeepsLengthDropsBody() {
        let out = Self.text(HTTPResponse(status: 200, body: Array("hello".utf8)), HTTPResponseContext(isHEAD: true))
        #expect(out.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    @Test(arguments: [204, 304, 101])
    func noBodyStatuses(status: Int) {
        let out = Self.text(HTTPResponse(status: status, body: Array("x".utf8)))
        #expect(!out.contains("Content-Length"))
        #expect(out.hasSuffix("\r\n\r\n"))
    }

    @Test
    func connectionHeaders() {
        #expect(Self.text(HTTPResponse(status: 200), HTTPResponseContext(close: true)).contains("Connection: close\r\n"))
        #expect(Self.text(HTTPResponse(status: 200), HTTPResponseContext(confirmKeepAlive: true))
            .contains("Connection: keep-alive\r\n"))
    }

    @Test
    func unsafeHeadersAreDropped() {
        let out = Self.text(HTTPResponse(status: 200, headers: ["X-Evil": "a\r\nSet-Cookie: x", "Bad Name": "v", "X-Ok": "1"]))
        #expect(!out.contains("Set-Cookie"))
        #expect(!out.contains("Bad Name"))
        #expect(out.contains("X-Ok: 1\r\n"))
    }

    @Test
    func dateFormat() {
        #expect(HTTPDateCache.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
