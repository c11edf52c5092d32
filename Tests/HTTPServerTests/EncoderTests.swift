import Testing
import HTTPCore
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

    /// Values are checked eight bytes at a time: a CR, LF or NUL drops the field wherever it sits; any other byte
    /// (a tab, DEL, non-ASCII) keeps it; the server's own fields are dropped whatever their case.
    @Test
    func aValueIsCheckedWhereverItsByteSits() {
        for length in [1, 7, 8, 9, 16, 17, 30] {
            for position in 0..<length {
                for byte: UInt8 in [0x0D, 0x0A, 0x00, 0x09, 0x7F, 0x7E] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "v"), count: length)
                    bytes[position] = byte
                    let value = String(decoding: bytes, as: UTF8.self)
                    let out = Self.text(HTTPResponse(status: 200, headers: ["X-V": value, "X-Ok": "1"]))
                    let unsafe = byte == 0x0D || byte == 0x0A || byte == 0x00
                    #expect(out.contains("X-V: ") != unsafe, "byte \(byte) at \(position) of \(length)")
                    #expect(out.contains("X-Ok: 1\r\n"))
                }
            }
        }
        let out = Self.text(HTTPResponse(status: 200, headers: ["X-U": "caf\u{e9} \u{2713}\u{2713}\u{2713}", "DATE": "x",
                                                                 "content-LENGTH": "9", "Transfer-encoding": "chunked",
                                                                 "CONNECTION": "close"]))
        #expect(out.contains("X-U: caf\u{e9} \u{2713}\u{2713}\u{2713}\r\n"))
        #expect(!out.contains("DATE") && !out.contains("content-LENGTH") && !out.contains("Transfer-encoding")
                && !out.contains("CONNECTION"))
    }

    /// RFC 9110 5.6.2's tchar, spelled out independently of `HTTPByteClass.isToken`'s two words.
    static let tchars = Set(Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))

    @Test
    func tokenBytesAreExactlyTheRFCsTchars() {
        for b in 0...255 {
            #expect(HTTPByteClass.isToken(UInt8(b)) == Self.tchars.contains(UInt8(b)), "byte \(b)")
        }
    }

    /// A name with any byte at any place is written exactly when every byte is a tchar (the checked path; none of
    /// these names is a known one).
    @Test
    func aNameIsWrittenExactlyWhenEveryByteIsATokenByte() {
        for b in 0...255 where b != 0x0D && b != 0x0A {
            for position in 0..<3 {
                var bytes = Array("X-a".utf8)
                bytes[position] = UInt8(b)
                let name = String(decoding: bytes, as: UTF8.self)
                let out = Self.text(HTTPResponse(status: 200, headers: [name: "v", "X-Ok": "1"]))
                let written = out.contains("\r\n\(name): v\r\n")
                let expected = String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
                    && bytes.allSatisfy(Self.tchars.contains)
                #expect(written == expected, "byte \(b) at \(position)")
                #expect(out.contains("X-Ok: 1\r\n"))
            }
        }
    }

    /// The names written without the token check: each is one the checked path writes too, and only those exact
    /// bytes are recognised (another case, one byte changed, a prefix or a server-owned name go through the check).
    @Test
    func knownNamesAreWritableAndRecognisedByTheirExactBytes() {
        #expect(!HTTPResponseEncoder.knownWritableNames.isEmpty)
        for name in HTTPResponseEncoder.knownWritableNames {
            let bytes = Array(name.utf8)
            bytes.withUnsafeBufferPointer { nameBytes in
                Array("v".utf8).withUnsafeBufferPointer { value in
                    #expect(HTTPResponseEncoder.isWritable(name: nameBytes, value: value), "\(name)")
                }
                #expect(HTTPResponseEncoder.isKnownWritableName(nameBytes), "\(name) not recognised")
            }
            #expect(Self.text(HTTPResponse(status: 200, headers: [name: "v"])).contains("\r\n\(name): v\r\n"))
            var nearMisses = [name.lowercased(), name.uppercased(), String(name.dropLast()), name + "s"]
            for i in bytes.indices {
                var changed = bytes
                changed[i] ^= 0x01
                nearMisses.append(String(decoding: changed, as: UTF8.self))
            }
            for miss in nearMisses where miss != name && !HTTPResponseEncoder.knownWritableNames.contains(miss) {
                Array(miss.utf8).withUnsafeBufferPointer { missBytes in
                    #expect(!HTTPResponseEncoder.isKnownWritableName(missBytes), "\(miss) taken for \(name)")
                }
            }
        }
        for owned in ["Date", "date", "Connection", "Content-Length", "Transfer-Encoding", "", "Bad Name", "X-Evil\r\n"] {
            Array(owned.utf8).withUnsafeBufferPointer { ownedBytes in
                #expect(!HTTPResponseEncoder.isKnownWritableName(ownedBytes), "\(owned)")
            }
        }
    }

    /// A known name's field still has its value checked, and a field dropped after its name was written leaves
    /// nothing of it behind.
    @Test
    func aKnownNameWithAnUnsafeValueIsDroppedWhole() {
        let out = Self.text(HTTPResponse(status: 200, headers: ["Content-Type": "text/plain\r\nSet-Cookie: x",
                                                                 "X-Request-Id": "abc", "Cache-Control": "a\u{0}b"]))
        #expect(out == "HTTP/1.1 200 OK\r\nX-Request-Id: abc\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            + "Content-Length: 0\r\n\r\n")
    }

    /// Final fields come after the answer's own, in the order added (two inline, the rest in an array), checked
    /// like them; the answer's own fields are untouched by adding them.
    @Test
    func finalFieldsFollowTheAnswersFieldsAndAreCheckedLikeThem() {
        let shared = HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")])
        var response = HTTPResponse(status: 200, headers: shared, body: Array("{}".utf8))
        response.finalFields.add("X-Request-Id", "id-1")
        response.finalFields.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        response.finalFields.add("tracestate", "a=b")
        response.finalFields.add("X", "single scalar name")
        response.finalFields.add("Bad Name", "v")
        response.finalFields.add("Content-Length", "99")
        response.finalFields.add("X-Evil", "a\r\nSet-Cookie: x")
        response.finalFields.add("X-Last", "1")
        #expect(response.headers == shared && response.headers.count == 2)
        #expect(response.finalFields.count == 8 && response.finalFields["x-request-id"] == "id-1")
        #expect(Self.text(response) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
            + "X-Request-Id: id-1\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
            + "tracestate: a=b\r\nX: single scalar name\r\nX-Last: 1\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\n{}")
    }

    /// Written over a reused buffer: the head is the buffer's first `count` bytes, equal to a fresh encoding, whatever
    /// the buffer held before (a longer head, a shorter one, nothing); the buffer is lengthened, never shortened.
    @Test
    func aHeadWrittenOverAReusedBufferIsItsFirstCountBytes() {
        let long = HTTPResponse(status: 404, headers: ["Content-Type": "application/problem+json",
                                                       "X-Long": String(repeating: "x", count: 3000)],
                                body: Array("{}".utf8))
        var short = HTTPResponse(status: 200, headers: ["Cache-Control": "no-store"])
        short.finalFields.add("X-Request-Id", "r")
        var buffer: [UInt8] = []
        for (response, context) in [(long, HTTPResponseContext()), (short, HTTPResponseContext(close: true)),
                                    (long, HTTPResponseContext(isHEAD: true)), (short, HTTPResponseContext())] {
            let before = buffer.count
            let (sendsBody, count) = HTTPResponseEncoder.encodeHead(response, context: context, date: Self.date,
                                                                    overwriting: &buffer)
            let fresh = HTTPResponseEncoder.encodeHead(response, context: context, date: Self.date)
            #expect(Array(buffer[0..<count]) == fresh.head && sendsBody == fresh.sendsBody)
            #expect(buffer.count >= before && buffer.count >= count)
        }
    }

    @Test
    func dateFormat() {
        #expect(HTTPDateCache.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}

/// The Host field's reg-name bytes as two words, held to the two predicates they replace for every byte.
struct HostFieldByteClassTests {
    @Test
    func regNameBytesAreUnreservedOrSubDelimitersButComma() {
        for b in 0...255 {
            let byte = UInt8(b)
            #expect(HTTPHostField.isRegNameByte(byte)
                    == (HTTPHostField.isUnreserved(byte) || HTTPHostField.isSubDelimiterButComma(byte)), "byte \(b)")
        }
        #expect(HTTPHostField.isValid("example.com:8080") && HTTPHostField.isValid("a-b_c~d!$&'()*+;=.e"))
        #expect(!HTTPHostField.isValid("a,b") && !HTTPHostField.isValid("a b") && !HTTPHostField.isValid("a/b"))
    }
}
