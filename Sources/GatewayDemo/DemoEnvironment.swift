import Gateway
import GatewayConfiguration
import GatewayCrypto
import HTTPServer
import KoreAdapter
import KoreSimulator
import Transport

/// `campaign-gateway` with no configuration: an in-process Kore.ai simulator on a loopback port, a v1 and a v2 demo
/// tenant pointing at it, and one demo API key allowed to use both. Everything here is public on purpose and only
/// ever unlocks the in-memory simulator.
public struct DemoEnvironment: Sendable {
    /// The demo API key. Printed at start-up and in the README's tour; it exists only in demo mode.
    public static let apiKey = "cgw_demo_key_0123456789abcdef"
    public static let v1Tenant = "demo-v1"
    public static let v2Tenant = "demo-v2"
    /// Seed 000's voice campaign: the DELETE the printed curl line performs.
    public static let sampleVoiceCampaignId = "cd-2129073-58d9-44d5-a5d1-454b1220xxxx"
    /// Seed 001's voice campaign (on the v2 tenant): the GET the printed curl line performs.
    public static let sampleReadCampaignId = "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx"

    public let simulator: KoreSimulator
    public let simulatorServer: HTTPServer
    public let simulatorPort: Int

    /// Where the demo's campaigns are put back to the seeds (`POST`, no key: it only ever touches the in-memory
    /// simulator). Served by the gateway beside its own routes, in demo mode only.
    public static let resetPath = "/demo/reset"

    /// An update body for seed 004 that both demo tenants take, inline so the printed line works from any directory.
    static let updateBody = #"{"name":"Billing Reminder Voice Campaign","description":"Reminds customers about pending bills.","contactLists":["Recent Buyers - Q2 2025"],"priority":4,"callerId":"+18123456789","callingHours":{"frequency":"weekly","timezone":"Asia/Kolkata","days":[{"day":"MO","start":"09:00","end":"18:00"}]},"voice":{"dialingMode":"preview","dialingOrder":"fifo","maxAttemptsPerRecord":3,"retryPeriodMinutes":10,"maxRingTimeSeconds":30,"maxSkips":1,"queueName":"Default Queue"}}"#

    /// The route that puts every demo tenant's campaigns back to the seeds (and clears the simulator's faults and log).
    public func resetRoute() -> AdditionalRoute {
        AdditionalRoute(path: Self.resetPath, methods: ["POST"]) { [simulator] _ in
            simulator.reset()
            let body = #"{"status":"ok","message":"The demo's campaigns are Kore.ai's sample campaigns again; what was created, changed or deleted since is undone."}"#
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
                                body: Array(body.utf8))
        }
    }

    /// Starts the simulator on 127.0.0.1 with an ephemeral port.
    public static func start() throws -> DemoEnvironment {
        let simulator = KoreSimulator(tenants: KoreSimulator.demoTenants)
        let server = simulator.makeServer(host: "127.0.0.1", port: 0)
        let port = try server.start()
        return DemoEnvironment(simulator: simulator, simulatorServer: server, simulatorPort: port)
    }

    /// The gateway configuration of the demo, listening on `host:port`.
    public func config(host: String, port: Int) -> GatewayConfig {
        let baseURL = "http://127.0.0.1:\(simulatorPort)"
        func tenant(_ name: String, _ version: UpstreamVersion, _ sim: SimulatorTenant) -> GatewayConfig.Tenant {
            GatewayConfig.Tenant(name: name, baseURL: baseURL, apiVersion: version, streamId: sim.streamId,
                                 accountId: sim.accountId, clientId: sim.clientId, clientSecret: sim.secret,
                                 secretSource: .value, algorithm: .hs256, tokenTTLSeconds: 300, enforceJti: sim.enforceJti)
        }
        let client = GatewayConfig.Client(name: "demo-app", apiKeyHash: SHA256.hash(Array(Self.apiKey.utf8)),
                                          tenants: [Self.v1Tenant, Self.v2Tenant],
                                          scopes: Set(GatewayConfig.Scope.allCases))
        return GatewayConfig(
            listen: .init(host: host, port: port),
            tenants: [tenant(Self.v1Tenant, .v1, KoreSimulator.demoTenant), tenant(Self.v2Tenant, .v2, KoreSimulator.demoV2Tenant)],
            clients: [client],
            upstream: .init(timeoutSeconds: 10, maxRetries: 2, requestsPerMinutePerAccount: 60),
            limits: .init(), audit: nil, shutdownGraceSeconds: 5,
            apiPage: .init(enabled: true, hints: ["apiKey": Self.apiKey, "tenant": Self.v2Tenant, "type": "voice",
                                                  "id": Self.sampleReadCampaignId]))
    }

    /// What the demo prints: the key and a curl line that works exactly as printed.
    public static func banner(host: String, port: Int) -> String {
        let shownHost = host == "0.0.0.0" ? "127.0.0.1" : host
        let base = "http://\(shownHost):\(port)"
        return """
        Campaign Gateway demo: a Kore.ai simulator runs in this process; nothing leaves this machine.
          tenants:  \(v1Tenant) (Kore.ai v1 URLs), \(v2Tenant) (v2 URLs); pick one with X-Tenant
          API key:  \(apiKey)

        Read a seeded voice campaign (v2 tenant; the answer carries an ETag for If-Match):
          curl -s -i -H 'Authorization: Bearer \(apiKey)' -H 'X-Tenant: \(v2Tenant)' \(base)/campaigns/voice/\(sampleReadCampaignId)

        List the ready voice campaigns (v1 tenant):
          curl -s -H 'Authorization: Bearer \(apiKey)' -H 'X-Tenant: \(v1Tenant)' '\(base)/campaigns/voice?status=ready&limit=5'

        Delete a seeded voice campaign (v1 tenant):
          curl -s -X DELETE -H 'Authorization: Bearer \(apiKey)' -H 'X-Tenant: \(v1Tenant)' \(base)/campaigns/voice/\(sampleVoiceCampaignId)

        See the upstream request an update would send, without sending it:
          curl -s -X PUT '\(base)/campaigns/voice/cd-dcebc67-d981-4469-b220-5a4ea567xxxx?dryRun=true' -H 'Authorization: Bearer \(apiKey)' -H 'X-Tenant: \(v1Tenant)' -H 'Content-Type: application/json' --data '\(updateBody)'

        Put the seeded campaigns back (demo only; undoes every create, change and delete):
          curl -s -X POST \(base)\(resetPath)

        Try every operation in a browser (the answer beside the Kore.ai request it makes): \(base)/docs
        OpenAPI: \(base)/openapi.yaml (or .json)   Health: \(base)/healthz   Stop: Ctrl-C

        """
    }
}
