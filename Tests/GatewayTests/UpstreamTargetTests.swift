@testable import Gateway
import HTTPClient
import KoreAdapter
import Testing

/// The transport's reading of an upstream request's address: each tenant's origin parsed once and kept, the path
/// checked per call, and the same verdict as parsing the whole URL.
@Suite struct UpstreamTargetTests {
    static let transport = EventLoopHTTPTransport(client: HTTPClient())

    static func request(_ url: String) -> UpstreamRequest {
        UpstreamRequest(method: "GET", url: url, headers: [], body: nil)
    }

    @Test("Origin and path give the target that parsing the whole URL gives", arguments: [
        "http://127.0.0.1:8081/campaign/api/v2/public/s/campaign/cd-1?accountId=a&campaignType=voice",
        "https://platform.kore.ai/agentassist/api/v1/public/st/campaign/cd-1",
        "https://[::1]:9443/p/x", "http://h:1?x=1", "http://h", "HTTP://Host.Example:80/a",
    ])
    func sameAsWholeURL(_ url: String) throws {
        let whole = try #require(HTTPRequestTarget(absoluteURL: url))
        // Twice: the second read comes from the kept origin.
        #expect(Self.transport.target(of: Self.request(url)) == whole)
        #expect(Self.transport.target(of: Self.request(url)) == whole)
    }

    @Test("A URL the whole-URL parser refuses is refused", arguments: [
        "ftp://h/x", "http://h/a b", "http://h/a#f", "http://user@h/x", "http://h:0/x", "http:///x", "http://h/\u{7F}",
    ])
    func refused(_ url: String) {
        #expect(HTTPRequestTarget(absoluteURL: url) == nil)
        #expect(Self.transport.target(of: Self.request(url)) == nil)
    }

    @Test("A path that does not start with / or ? is refused, even after a good origin")
    func pathMustStartTheTarget() {
        var request = Self.request("http://h/x")
        request.pathAndQuery = "x@evil"
        #expect(Self.transport.target(of: request) == nil)
    }
}
