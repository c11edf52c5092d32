import Testing
@testable import HTTPServer

/// Methods and field names the parser takes as literals come out exactly as sent, in every case spelling, next to
/// names and methods it makes from the bytes.
struct KnownTokenTests {
    static let names = ["Host", "Accept", "X-Tenant", "If-Match", "User-Agent", "Connection", "traceparent",
                        "Content-Type", "X-Request-Id", "Authorization", "Content-Length", "Accept-Encoding",
                        "Idempotency-Key", "X-Other", "Hosts", "Authorisation"]
    static let methods = ["GET", "PUT", "POST", "HEAD", "DELETE", "get", "Delete", "PATCH", "GETS", "OPTIONS"]

    @Test(arguments: names)
    func fieldNamesComeOutAsSent(_ name: String) {
        for spelling in [name, name.lowercased(), name.uppercased()] {
            // Host is the one field every request has; the name under test follows it (Content-Length with a body).
            let isHost = spelling.lowercased() == "host"
            let isLength = spelling.lowercased() == "content-length"
            let value = isLength ? "2" : "v"
            let head = isHost ? "\(spelling): h\r\n" : "Host: h\r\n\(spelling): \(value)\r\n"
            let parsed = ParserHarness("GET / HTTP/1.1\r\n\(head)\r\n\(isLength ? "ab" : "")")
            #expect(parsed.rejection == nil, "\(spelling)")
            let names = parsed.requests.first?.headers.fields.map(\.name) ?? []
            #expect(names == (isHost ? [spelling] : ["Host", spelling]), "\(spelling)")
            #expect(Array(names.last?.utf8 ?? "".utf8) == Array(spelling.utf8))
        }
    }

    @Test(arguments: methods)
    func methodsComeOutAsSent(_ method: String) {
        let parsed = ParserHarness("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(parsed.requests.first?.method == method)
        #expect(parsed.requests.first.map { Array($0.method.utf8) } == Array(method.utf8))
    }

    @Test
    func theLiteralsAreTheTokensTheyStandFor() {
        for name in Self.names {
            let known = Array(name.utf8).withUnsafeBytes { HTTPKnownTokens.fieldName($0) }
            if let known { #expect(known == name) }
        }
        for method in Self.methods {
            let known = Array(method.utf8).withUnsafeBytes { HTTPKnownTokens.method($0) }
            if let known { #expect(known == method) }
        }
        // Every literal is found (a wrong length in the switch would leave one never matched).
        for name in Self.names.prefix(13) {
            #expect(Array(name.utf8).withUnsafeBytes { HTTPKnownTokens.fieldName($0) } != nil, "\(name)")
        }
        for method in Self.methods.prefix(5) {
            #expect(Array(method.utf8).withUnsafeBytes { HTTPKnownTokens.method($0) } != nil, "\(method)")
        }
    }
}
