import Foundation
import TestSupport
import Testing
import HTTPServer

/// The server as an independent client sees it: real curl. Skipped on a developer machine without curl; under CI
/// (`CI` set) it always runs, so a missing curl fails instead of silently proving nothing.
@Suite(.needs("curl"), .timeLimit(.minutes(1)))
struct CurlTests {
    /// Runs curl and returns its stdout.
    static func curl(_ arguments: [String], includingStandardError: Bool = false) throws -> String {
        let result = try ChildProcess.run(try Tools.require("curl"), ["-sS", "--max-time", "5"] + arguments)
        // curl's -v trace goes to stderr and its output to stdout; a test that reads both gets the trace first.
        return includingStandardError ? result.error + result.output : result.output
    }

    @Test
    func getWithHeaders() async throws {
        try await withServer { _, port in
            let out = try Self.curl(["-i", "http://127.0.0.1:\(port)/hello?q=1"])
            #expect(out.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(out.contains("Content-Length: 14\r\n"))
            #expect(out.hasSuffix("\r\n\r\nGET /hello?q=1"))
        }
    }

    @Test
    func expectContinueUpload() async throws {
        try await withServer { _, port in
            // curl waits for the interim answer before sending the body; with a wait longer than --max-time, an
            // upload that succeeds proves the server sent 100 Continue, and the verbose trace shows it.
            let out = try Self.curl(["-v", "--expect100-timeout", "30", "-H", "Expect: 100-continue",
                                     "--data-binary", "payload-123", "http://127.0.0.1:\(port)/upload"],
                                    includingStandardError: true)
            #expect(out.contains("< HTTP/1.1 100 Continue"), "no 100 Continue in curl's trace:\n\(out)")
            #expect(out.hasSuffix("payload-123"), "upload not echoed:\n\(out)")
        }
    }

    @Test
    func chunkedUpload() async throws {
        try await withServer { _, port in
            let out = try Self.curl(["-H", "Transfer-Encoding: chunked", "--data-binary", "chunky",
                                     "http://127.0.0.1:\(port)/upload"])
            #expect(out == "chunky")
        }
    }

    @Test
    func keepAliveIsReused() async throws {
        try await withServer { _, port in
            let out = try Self.curl(["-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects}\n",
                                     "http://127.0.0.1:\(port)/a", "http://127.0.0.1:\(port)/b"])
            #expect(out == "1\n0\n")
        }
    }

    @Test
    func http10AndHead() async throws {
        try await withServer { _, port in
            let old = try Self.curl(["-i", "--http1.0", "http://127.0.0.1:\(port)/old"])
            #expect(old.contains("Connection: close\r\n"))
            let head = try Self.curl(["-I", "http://127.0.0.1:\(port)/h"])
            #expect(head.contains("Content-Length: 7\r\n"))  // the length "HEAD /h" would have
        }
    }

    @Test
    func problemJSONForBadRequest() async throws {
        try await withServer { _, port in
            let out = try Self.curl(["-i", "-H", "Content-Length: +5", "--data-binary", "hello",
                                     "http://127.0.0.1:\(port)/x"])
            #expect(out.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(out.contains("Content-Type: application/problem+json\r\n"))
            #expect(out.contains("\"code\":\"bad_request\""))
        }
    }
}
