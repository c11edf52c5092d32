import GatewayCrypto
import HTTPServer
import JSONCore
import Testing
@testable import KoreSimulator

/// `SimulatorTenant.additionalSecrets`: during a client-secret rotation, tokens signed with the old and the new secret
/// are both accepted; anything else is still refused exactly as before.
@Suite struct SecretRotationTests {
    static let oldSecret = Array("rotation-old-secret".utf8)
    static let newSecret = Array("rotation-new-secret".utf8)
    static let rotating = SimulatorTenant(streamId: "st-rotating", accountId: "acct-rotating", clientId: "cs-rotating",
                                          secret: newSecret, enforceJti: false, additionalSecrets: [oldSecret])
    let id = Fixture.voiceSeeds[0]

    private func simulator() -> KoreSimulator {
        KoreSimulator(tenants: [Self.rotating, Fixture.tenant], clock: { Fixture.now })
    }

    @Test(arguments: ["v1", "v2"]) func tokensSignedWithEitherSecretAreAccepted(version: String) async {
        let simulator = simulator()
        for secret in [Self.newSecret, Self.oldSecret] {
            for algorithm in [JWTAlgorithm.hs256, .hs512] {
                let token = Fixture.token(for: Self.rotating, secret: secret, algorithm: algorithm)
                let request = Fixture.request("GET", version, id: id, type: nil, tenant: Self.rotating, token: token)
                #expect(await simulator.handle(request).status == 200)
            }
        }
    }

    @Test func aThirdSecretIsStillABadSignature() async {
        let token = Fixture.token(for: Self.rotating, secret: Array("rotation-other-secret".utf8))
        let response = await simulator().handle(Fixture.request("DELETE", "v1", id: id, tenant: Self.rotating, token: token))
        #expect(response.status == 401)
        #expect(Fixture.errorMessages(response) == ["Invalid JWT signature"])
    }

    @Test func malformedTokensAreStillReportedAsMalformed() async {
        let response = await simulator().handle(Fixture.request("DELETE", "v1", id: id, tenant: Self.rotating, token: "not-a-jwt"))
        #expect(response.status == 401)
        #expect(Fixture.errorMessages(response).first?.contains("Malformed") == true)
    }

    @Test func additionalSecretsDefaultToNone() async {
        #expect(Fixture.tenant.additionalSecrets.isEmpty)
        // Another tenant's secret does not become acceptable for a tenant without additional secrets.
        let token = Fixture.token(for: Fixture.tenant, secret: Self.oldSecret)
        let response = await simulator().handle(Fixture.request("DELETE", "v2", id: id, token: token))
        #expect(response.status == 401)
        #expect(simulator().campaignIds(streamId: Fixture.tenant.streamId)?.contains(id) == true)
    }
}
