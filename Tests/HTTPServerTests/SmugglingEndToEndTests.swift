import TestSupport
import Testing
import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// Request smuggling over real sockets: every ambiguous framing the parser tables reject
/// (`ParserRejectionTests`) is sent here with a second request glued behind it in the same write, the way a desynced
/// front end would forward it. The server must answer exactly once, in the problem+json shape, with
/// `Connection: close`, and close: the glued request is never parsed, so the handler never sees `/smuggled`.
/// The RFC-valid spellings of `chunked` are accepted and framed exactly like plain `chunked`.
///
/// Serialized: each case is a few milliseconds, and 41 servers at once only add descriptors to the suite's peak.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct SmugglingEndToEndTests {
    static let host = "Host: test\r\n"
    /// What a desynced proxy would take for the start of the next request.
    static let smuggled = "GET /smuggled HTTP/1.1\r\n\(host)\r\n"

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let head: [UInt8]
        let status: Int
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ status: Int) {
            self.name = name
            self.head = Array(text.utf8)
            self.status = status
        }

        init(_ name: String, bytes: [UInt8], _ status: Int) {
            self.name = name
            self.head = bytes
            self.status = status
        }
    }

    static let post = "POST /upload HTTP/1.1\r\n\(host)"

    static let rejected: [Case] = [
        // CL.TE / TE.CL: both framings present (RFC 9112 6.1: reject rather than pick one). CL before TE is
        // EndToEndTests.smugglingCLPlusTEIsRejectedAndClosed.
        Case("TE.CL: chunked then Content-Length", post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n", 400),
        Case("CL.TE with obfuscated TE (xchunked)", post + "Content-Length: 4\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
        Case("CL.TE with TE chunked, identity", post + "Content-Length: 4\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400),
        // TE.TE: a Transfer-Encoding one hop might read as chunked and another not.
        Case("TE: xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 501),
        Case("TE: chunked, identity", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 501),
        Case("TE: identity, chunked", post + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", 501),
        Case("TE: \"chunked\" quoted", post + "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 501),
        Case("TE: chunked;q=1 parameter", post + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 501),
        Case("TE twice: chunked + chunked", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
        Case("TE twice: chunked + x", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n", 501),
        Case("TE with space before colon", post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
        Case("TE folded onto the previous line", post + "X-A: b\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Case("TE value on an obs-fold line", post + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400),
        Case("TE with vertical tab", post + "Transfer-Encoding:\u{0B}chunked\r\n\r\n0\r\n\r\n", 400),
        Case("TE line ended by bare LF", post + "Transfer-Encoding: chunked\n\r\n0\r\n\r\n", 400),
        Case("TE in HTTP/1.0", "POST /upload HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        // Content-Length (RFC 9112 6.3: an invalid length is unrecoverable).
        Case("CL twice, same value", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
        Case("CL twice, differing", post + "Content-Length: 5\r\nContent-Length: 0\r\n\r\nhello", 400),
        Case("CL list 5, 5", post + "Content-Length: 5, 5\r\n\r\nhello", 400),
        Case("CL +5", post + "Content-Length: +5\r\n\r\nhello", 400),
        Case("CL -5", post + "Content-Length: -5\r\n\r\n", 400),
        Case("CL 0x10", post + "Content-Length: 0x10\r\n\r\n", 400),
        Case("CL 2^64", post + "Content-Length: 18446744073709551616\r\n\r\n", 400),
        Case("CL 10^23", post + "Content-Length: 99999999999999999999999\r\n\r\n", 400),
        Case("CL 5 5", post + "Content-Length: 5 5\r\n\r\nhello", 400),
        Case("CL with space before colon", post + "Content-Length : 5\r\n\r\nhello", 400),
        // Chunk framing (RFC 9112 7.1).
        Case("chunk size overflow", post + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\nx\r\n0\r\n\r\n", 400),
        Case("chunk size negative", post + "Transfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n", 400),
        Case("chunk size 0x prefix", post + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk line ended by bare LF", post + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400),
        Case("chunk data longer than its size", post + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", 400),
        Case("chunk without CRLF after data", post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX0\r\n\r\n", 400),
        // A body over the limit is refused before it is read, so what it contains is never parsed either.
        Case("CL over the body limit", post + "Content-Length: 2000000\r\n\r\n", 413),
        // Bytes no hop should disagree about.
        Case("NUL in a header value", bytes: Array((post + "X-A: a").utf8) + [0] + Array("b\r\nContent-Length: 0\r\n\r\n".utf8), 400),
        Case("bare CR in a header value", post + "X-A: a\rContent-Length: 0\r\n\r\n", 400),
        Case("Host twice", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    ]

    @Test(arguments: rejected)
    func rejectedOnceAndClosed(_ c: Case) async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(c.head + Array(Self.smuggled.utf8))
            let response = try client.readResponse()
            #expect(response.status == c.status, "\(c.name)")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.bodyText.contains("\"status\":\(c.status)"))
            #expect(response.header("Connection") == "close")
            // EOF right after the one response: the glued request was never answered (nor handled).
            #expect(try client.readsEOF(), "\(c.name): more bytes after the rejection")
        }
    }

    /// Spellings RFC 9112 allows (coding names are case-insensitive; OWS around the value) frame the body exactly
    /// as `chunked` does: the body is decoded and the request after it is an ordinary pipelined request.
    @Test(arguments: [
        "Transfer-Encoding: CHUNKED", "Transfer-Encoding: Chunked", "transfer-encoding: chunked",
        "Transfer-Encoding:\tchunked", "Transfer-Encoding:   chunked  \t",
    ])
    func validChunkedSpellingsFrameIdentically(_ line: String) async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(Self.post + line + "\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n" + "GET /next HTTP/1.1\r\n\(Self.host)\r\n")
            let first = try client.readResponse()
            #expect(first.status == 200)
            #expect(first.bodyText == "Wikipedia")
            let second = try client.readResponse()
            #expect(second.header("X-Path") == "/next")
        }
    }

    /// A body the application does not care about (a GET with a body) is still consumed by its framing; request
    /// text inside it is data, not a request.
    @Test func bodyContainingARequestIsDataNotARequest() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            let inner = Self.smuggled
            let chunked = String(inner.utf8.count, radix: 16) + "\r\n" + inner + "\r\n0\r\n\r\n"
            try client.send("GET /a HTTP/1.1\r\n\(Self.host)Content-Length: \(inner.utf8.count)\r\n\r\n\(inner)"
                            + "GET /b HTTP/1.1\r\n\(Self.host)Transfer-Encoding: chunked\r\n\r\n\(chunked)"
                            + "GET /c HTTP/1.1\r\n\(Self.host)\r\n")
            let a = try client.readResponse(), b = try client.readResponse(), c = try client.readResponse()
            #expect([a, b, c].map { $0.header("X-Path") } == ["/a", "/b", "/c"])
            #expect(a.bodyText == inner && b.bodyText == inner)  // the handler got the bytes as the body
            client.shutdownWrite()
            #expect(try client.readsEOF())  // and nothing else was answered
        }
    }
}
