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

    /// The dry-run update carries its body inline (a `--data @examples/...` line worked only from the repository), and
    /// the reset line puts back the campaign the printed delete line removes, without a restart.
    @Test func dryRunAndResetLinesWorkFromAnyDirectory() async throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        let dryRun = "See the upstream request an update would send", delete = "Delete a seeded voice campaign"
        let reset = "Put the seeded campaigns back"
        let run = try await OffPool.run { try DemoBanner.run(binary: binary, headings: [dryRun, delete, delete, reset, delete]) }
        let update = try #require(run.results[dryRun], "\(run.printed)")
        #expect(!update.curl.contains("@"), "the body is inline")
        #expect(update.output.hasSuffix("\n200"), "\(update.output)")
        #expect(update.output.contains("\"upstreamRequest\""))
        let statuses = run.ordered.map { $0.output.split(separator: "\n").last.map(String.init) ?? "" }
        // delete, delete again (gone), reset, delete (back again)
        #expect(statuses == ["200", "200", "404", "200", "200"], "\(run.printed)")
    }
}
