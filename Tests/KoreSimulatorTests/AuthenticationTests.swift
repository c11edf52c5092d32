import GatewayCrypto
import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// Every credential Kore.ai checks, each refused with 401 in Kore.ai's error body, and nothing changed by a refused call.
@Suite struct AuthenticationTests {
    let simulator = Fixture.simulator()
    let id = Fixture.voiceSeeds[0]

    /// Sends `request` and expects a 401 whose message mentions `fragment`, with the record still stored.
    private func expectUnauthorized(_ request: HTTPRequest, mentioning fragment: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) async {
        let response = await simulator.handle(request)
        #expect(response.status == 401, sourceLocation: sourceLocation)
        let messages = Fixture.errorMessages(response)
        #expect(messages.count == 1 && messages[0].contains(fragment), "\(messages)", sourceLocation: sourceLocation)
        #expect(Fixture.json(response)?["errors"]?.arrayValue?.first?["code"] == .int(401), sourceLocation: sourceLocation)
        #expect(simulator.campaignIds(streamId: Fixture.tenant.streamId)?.contains(id) == true, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["v1", "v2"]) func hs256AndHS512TokensAreAccepted(version: String) async {
        let hs512 = Fixture.token(algorithm: .hs512)
        #expect(await simulator.handle(Fixture.request("GET", version, id: id, type: nil)).status == 200)
        #expect(await simulator.handle(Fixture.request("GET", version, id: id, type: nil, token: hs512)).status == 200)
    }

    @Test func missingAuthHeader() async {
        var request = Fixture.request("DELETE", "v1", id: id)
        request.headers.remove("auth")
        await expectUnauthorized(request, mentioning: "auth header")
    }

    @Test func tokenSignedWithAnotherSecret() async {
        let forged = Fixture.token(secret: Array("not-the-secret".utf8))
        await expectUnauthorized(Fixture.request("DELETE", "v2", id: id, token: forged), mentioning: "signature")
    }

    @Test func malformedAndUnsignedTokens() async {
        await expectUnauthorized(Fixture.request("DELETE", "v1", id: id, token: "not-a-jwt"), mentioning: "Malformed")
        // alg "none" with an empty signature: the classic bypass.
        let header = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(Array(#"{"appId":"cs-test-client","exp":9999999999}"#.utf8))
        await expectUnauthorized(Fixture.request("DELETE", "v1", id: id, token: "\(header).\(payload)."), mentioning: "algorithm")
    }

    @Test func wrongOrMissingAppId() async {
        await expectUnauthorized(Fixture.request("DELETE", "v1", id: id, token: Fixture.token(appId: "cs-other")), mentioning: "appId")
        await expectUnauthorized(Fixture.request("DELETE", "v1", id: id, token: Fixture.token(appId: .some(nil))), mentioning: "appId")
    }

    @Test func expiredOrMissingExp() async {
        let expired = Fixture.token(iat: Fixture.now - 600, exp: Fixture.now - 1)
        await expectUnauthorized(Fixture.request("DELETE", "v2", id: id, token: expired), mentioning: "expired")
        let atNow = Fixture.token(exp: Fixture.now)
        await expectUnauthorized(Fixture.request("DELETE", "v2", id: id, token: atNow), mentioning: "expired")
        await expectUnauthorized(Fixture.request("DELETE", "v2", id: id, token: Fixture.token(exp: .some(nil))), mentioning: "exp")
    }

    @Test func issuedAtTooFarInTheFuture() async {
        let future = Fixture.token(iat: Fixture.now + 61, exp: Fixture.now + 600)
        await expectUnauthorized(Fixture.request("DELETE", "v1", id: id, token: future), mentioning: "iat")
        // Within the allowed skew: fine.
        let skewed = Fixture.token(iat: Fixture.now + 60, exp: Fixture.now + 600)
        #expect(await simulator.handle(Fixture.request("GET", "v1", id: id, type: nil, token: skewed)).status == 200)
    }

    @Test func iidMissingUnknownOrNotThePathsStream() async {
        var missing = Fixture.request("DELETE", "v1", id: id)
        missing.headers.remove("iid")
        await expectUnauthorized(missing, mentioning: "iid")
        var unknown = Fixture.request("DELETE", "v1", id: id)
        unknown.headers.replace("iid", "st-nobody")
        await expectUnauthorized(unknown, mentioning: "iid")
        // The demo tenant's valid token and iid, but the path names the test tenant's stream.
        var crossed = Fixture.request("DELETE", "v2", id: id)
        crossed.headers.replace("iid", KoreSimulator.demoTenant.streamId)
        crossed.headers.replace("auth", Fixture.token(for: KoreSimulator.demoTenant))
        await expectUnauthorized(crossed, mentioning: "stream id in the path")
    }

    @Test func tokenOfAnotherTenant() async {
        let demoToken = Fixture.token(for: KoreSimulator.demoTenant)
        await expectUnauthorized(Fixture.request("DELETE", "v1", id: id, token: demoToken), mentioning: "signature")
    }

    @Test func accountIdHeaderMissingOrWrong() async {
        var missing = Fixture.request("DELETE", "v1", id: id)
        missing.headers.remove("accountId")
        await expectUnauthorized(missing, mentioning: "accountId header")
        var wrong = Fixture.request("DELETE", "v1", id: id)
        wrong.headers.replace("accountid", "acct-someone-else")
        await expectUnauthorized(wrong, mentioning: "accountId header")
    }

    @Test func v2AccountIdQueryMissingIs400AndWrongIs401() async {
        var missing = Fixture.request("DELETE", "v2", id: id)
        missing.query = "campaignType=voice"
        let missingResponse = await simulator.handle(missing)
        #expect(missingResponse.status == 400)
        #expect(Fixture.errorMessages(missingResponse).first?.contains("accountId") == true)
        var wrong = Fixture.request("DELETE", "v2", id: id)
        wrong.query = "accountId=acct-other&campaignType=voice"
        await expectUnauthorized(wrong, mentioning: "accountId query")
        // v1 has no accountId query and needs none.
        #expect(await simulator.handle(Fixture.request("GET", "v1", id: id, type: nil)).status == 200)
    }

    @Test func enforcedJtiMustBePresentAndFresh() async {
        let tenant = Fixture.jtiTenant
        let noJti = Fixture.token(for: tenant)
        await expectJti(Fixture.request("GET", "v1", id: id, type: nil, tenant: tenant, token: noJti), status: 401)
        let token = Fixture.token(for: tenant, jti: "jti-0001")
        await expectJti(Fixture.request("GET", "v1", id: id, type: nil, tenant: tenant, token: token), status: 200)
        let replay = await simulator.handle(Fixture.request("GET", "v2", id: id, type: nil, tenant: tenant, token: token))
        #expect(replay.status == 401)
        #expect(Fixture.errorMessages(replay).first?.contains("replay") == true)
        let fresh = Fixture.token(for: tenant, jti: "jti-0002")
        await expectJti(Fixture.request("GET", "v2", id: id, type: nil, tenant: tenant, token: fresh), status: 200)
        // reset() forgets seen jtis.
        simulator.reset()
        await expectJti(Fixture.request("GET", "v1", id: id, type: nil, tenant: tenant, token: token), status: 200)
    }

    @Test func tenantWithoutEnforcementAcceptsReusedTokens() async {
        let token = Fixture.token(jti: "same")
        for _ in 0..<3 {
            #expect(await simulator.handle(Fixture.request("GET", "v1", id: id, type: nil, token: token)).status == 200)
        }
    }

    @Test func credentialsAreCheckedBeforeTheRecord() async {
        // An unknown id with a bad token is 401, not 404: nothing about the store leaks to an unauthenticated caller.
        let forged = Fixture.token(secret: Array("x".utf8))
        #expect(await simulator.handle(Fixture.request("DELETE", "v1", id: "cd-nope", token: forged)).status == 401)
    }

    private func expectJti(_ request: HTTPRequest, status: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        let response = await simulator.handle(request)
        #expect(response.status == status, "\(Fixture.errorMessages(response))", sourceLocation: sourceLocation)
    }
}
