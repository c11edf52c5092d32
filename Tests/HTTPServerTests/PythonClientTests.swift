import Foundation
import TestSupport
import Testing
import HTTPServer

/// Python's http.client as an independent HTTP/1.1 implementation. Skipped on a developer machine without python3;
/// under CI (`CI` set) it always runs, so a missing python3 fails instead of silently proving nothing.
@Suite(.needs("python3"), .timeLimit(.minutes(1)))
struct PythonClientTests {
    static let script = #"""
import http.client, sys
port = int(sys.argv[1])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
c.request("GET", "/py?a=1")
r = c.getresponse(); body = r.read()
assert r.status == 200 and body == b"GET /py?a=1", (r.status, body)
assert r.getheader("Content-Length") == str(len(body))
sock = c.sock
c.request("PUT", "/py", body=b"x" * 70000, headers={"Content-Type": "text/plain"})
r = c.getresponse(); body = r.read()
assert r.status == 200 and body == b"x" * 70000 and c.sock is sock, "keep-alive with a 70 KB body"
c.request("POST", "/py", body=iter([b"ab", b"cd"]), encode_chunked=True)
r = c.getresponse(); body = r.read()
assert r.status == 200 and body == b"abcd", ("chunked", body)
c.putrequest("GET", "/py", skip_host=True); c.endheaders()
r = c.getresponse(); body = r.read()
assert r.status == 400 and r.getheader("Content-Type") == "application/problem+json", "missing Host"
assert r.getheader("Connection") == "close"
print("ok")
"""#

    @Test
    func httpClientConversation() async throws {
        try await withServer { _, port in
            let result = try PythonRunner.run(Self.script, arguments: [String(port)])
            #expect(result.status == 0, "\(result.output)\(result.error)")
            #expect(result.output == "ok\n")
        }
    }
}
