import Foundation
import Testing
import TestSupport

/// The demo's banner prints a GET and a list line besides the delete; each works exactly as printed.
@Suite struct DemoBannerEndToEndTests {
    @Test func readAndListLinesWorkAsPrinted() async throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        let read = "Read a seeded voice campaign", list = "List the ready voice campaigns"
        let run = try await OffPool.run { try DemoBanner.run(binary: binary, headings: [read, list]) }
        let get = try #require(run.results[read], "\(run.printed)")
        #expect(get.curl.hasPrefix("curl ") && !get.curl.contains("-X"))
        #expect(get.output.hasSuffix("\n200"), "\(get.output)")
        #expect(get.output.lowercased().contains("etag: \""))
        #expect(get.output.contains("\"id\":\"cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx\""))
        let listed = try #require(run.results[list], "\(run.printed)")
        #expect(listed.output.hasSuffix("\n200"), "\(listed.output)")
        let body = String(listed.output.dropLast(4))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let campaigns = try #require(json["campaigns"] as? [[String: Any]])
        #expect(!campaigns.isEmpty && campaigns.allSatisfy { $0["status"] as? String == "ready" })
        #expect(json["limit"] as? Int == 5)
    }
}
