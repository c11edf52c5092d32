import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// Only Kore.ai's exact campaign-by-id paths match; everything else is 404, other methods 405.
@Suite struct RoutingTests {
    let simulator = Fixture.simulator()
    let id = Fixture.voiceSeeds[0]

    private func send(_ method: String, path: String, query: String? = "campaignType=voice") async -> HTTPResponse {
        var request = Fixture.request(method, "v1", id: id)
        request.path = path
        request.query = query
        request.target = query.map { "\(path)?\($0)" } ?? path
        return await simulator.handle(request)
    }

    @Test(arguments: [
        "/agentassist/api/v1/public/st-test-0001/campaign/voice",            // seed 000's printed URL: the type where the id belongs
        "agentassist/api/v1/public/st-test-0001/campaign/x",                // seed 002's missing slash
        "/agentassist/api/v1/public/st-test-0001/campaign/",
        "/agentassist/api/v1/public//campaign/cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
        "/agentassist/api/v2/public/st-test-0001/campaign/cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
        "/campaign/api/v1/public/st-test-0001/campaign/cd-2129073-58d9-44d5-a5d1-454b1220xxxx/status",
        "/campaign/api/v1/public/st-test-0001/campaign/trigger/cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
        "/agentassist/api/v1/public/st-test-0001/campaign/trigger/cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
        "/agentassist/api/v1/public/st-test-0001/campaign/schedule/x",
        "/agentassist/api/v1/public/st-test-0001/campaign/cd-2129073-58d9-44d5-a5d1-454b1220xxxx/",
        "/agentassist/api/v1/public/st-test-0001/campaign/a%2Fb",
        "/",
        "/__sim",
    ])
    func pathsThatAreNotKoreAisAre404(path: String) async {
        let response = await send("DELETE", path: path)
        #expect(response.status == 404)
        #expect(Fixture.json(response)?["errors"] != nil)
    }

    @Test func percentEncodedIdMatchesItsDecodedForm() async {
        // `-` encoded as %2D is the same id once decoded, as a real server would see it.
        let path = "/agentassist/api/v1/public/st-test-0001/campaign/cd%2D2129073-58d9-44d5-a5d1-454b1220xxxx"
        #expect(await send("GET", path: path, query: nil).status == 200)
    }

    @Test(arguments: ["POST", "PATCH", "HEAD", "delete"])
    func otherMethodsAre405WithAllow(method: String) async {
        let response = await simulator.handle(Fixture.request(method, "v2", id: id))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, PUT, DELETE")
    }

    /// The create collection and v1's start/stop service are Kore.ai paths too, for POST only.
    @Test(arguments: [
        "/agentassist/api/v1/public/st-test-0001/campaign",
        "/campaign/api/v1/public/st-test-0001/campaign/cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
        "/campaign/api/v2/public/st-test-0001/campaign/trigger/cd-2129073-58d9-44d5-a5d1-454b1220xxxx",
        "/campaign/api/v2/public/st-test-0001/campaign/getAllCampaignDetails/x/status",
    ])
    func postOnlyPathsAre405ForOtherMethods(path: String) async {
        let response = await send("DELETE", path: path)
        if path.hasSuffix("/status") {
            #expect(response.status == 404)  // not a campaign id: `getAllCampaignDetails/x/status` has one segment too many
        } else {
            #expect(response.status == 405)
            #expect(response.headers["Allow"] == "POST")
        }
    }

    @Test func unknownRoutesAreStillLoggedAsCalls() async {
        _ = await send("GET", path: "/nowhere")
        #expect(simulator.callCount == 1)
        #expect(simulator.calls.first?.responseStatus == 404)
    }
}
