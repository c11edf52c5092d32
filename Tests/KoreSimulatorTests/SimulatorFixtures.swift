import GatewayCrypto
import HTTPServer
import JSONCore
@testable import KoreSimulator

/// Tenants, tokens, requests and bodies shared by the simulator's tests.
enum Fixture {
    /// The fixed "now" of every in-process test (2025-06-15T15:06:40Z), so expiry checks never depend on the machine.
    static let now = 1_750_000_000

    static let tenant = SimulatorTenant(streamId: "st-test-0001", accountId: "acct-test-0001", clientId: "cs-test-client",
                                        secret: Array("test-secret-one".utf8), enforceJti: false)
    static let jtiTenant = SimulatorTenant(streamId: "st-test-0002", accountId: "acct-test-0002", clientId: "cs-jti-client",
                                           secret: Array("test-secret-two".utf8), enforceJti: true)

    /// Seed ids exactly as Kore.ai's pages print them, with the type each page documents.
    static let voiceSeeds = ["cd-2129073-58d9-44d5-a5d1-454b1220xxxx", "cd-a1e45a7-e8ba-4e97-a339-476ebc7xxxxx",
                             "cd-dcebc67-d981-4469-b220-5a4ea567xxxx"]
    static let smsSeeds = ["cd-3aefda80-f98e-5f4f-ad41-92803abbxxxx", "cd-213cc43a-a340-5b89-a256-ff8da28xxxxx"]
    static let seedCases: [SeedCase] = voiceSeeds.map { SeedCase(id: $0, type: "voice") } + smsSeeds.map { SeedCase(id: $0, type: "sms") }

    /// `requestsPerMinute` nil lifts Kore.ai's limit (for tests that send more than 60 calls for one account).
    static func simulator(clock: @escaping @Sendable () -> Int = { Fixture.now },
                          requestsPerMinute: Int? = KoreSimulator.koreRequestsPerMinutePerAccount) -> KoreSimulator {
        KoreSimulator(tenants: [tenant, jtiTenant, KoreSimulator.demoTenant], clock: clock, requestsPerMinutePerAccount: requestsPerMinute)
    }

    /// A token as the gateway mints it; every claim can be overridden or dropped (pass `.some(nil)` to drop).
    static func token(for tenant: SimulatorTenant = tenant, secret: [UInt8]? = nil, appId: String?? = nil,
                      iat: Int?? = nil, exp: Int?? = nil, jti: String? = nil,
                      algorithm: JWTAlgorithm = .hs256) -> String {
        var claims = JSONObject()
        if let appId = appId ?? tenant.clientId { claims["appId"] = .string(appId) }
        if let iat = iat ?? now { claims["iat"] = .int(iat) }
        if let exp = exp ?? now + 300 { claims["exp"] = .int(exp) }
        if let jti { claims["jti"] = .string(jti) }
        return JWT.sign(payloadJSON: JSONWriter.write(.object(claims)), secret: secret ?? tenant.secret, algorithm: algorithm)
    }

    /// A request with every header and query parameter Kore.ai wants, for `version` "v1" or "v2".
    static func request(_ method: String, _ version: String, id: String, type: String? = "voice",
                        tenant: SimulatorTenant = tenant, token: String? = nil, body: JSONValue? = nil) -> HTTPRequest {
        let path = version == "v1"
            ? "/agentassist/api/v1/public/\(tenant.streamId)/campaign/\(id)"
            : "/campaign/api/v2/public/\(tenant.streamId)/campaign/\(id)"
        var query: [String] = []
        if version == "v2" { query.append("accountId=\(tenant.accountId)") }
        if let type { query.append("campaignType=\(type)") }
        let queryString = query.isEmpty ? nil : query.joined(separator: "&")
        let headers = HTTPHeaders([
            ("auth", token ?? Self.token(for: tenant)),
            ("iid", tenant.streamId),
            ("accountId", tenant.accountId),
            ("Content-Type", "application/json"),
        ])
        let target = queryString.map { "\(path)?\($0)" } ?? path
        return HTTPRequest(method: method, target: target, path: path, query: queryString, headers: headers,
                           body: body.map { JSONWriter.write($0) } ?? [])
    }

    /// A control API request.
    static func control(_ method: String, _ route: String, body: String? = nil) -> HTTPRequest {
        HTTPRequest(method: method, target: "/__sim/\(route)", path: "/__sim/\(route)", body: Array((body ?? "").utf8))
    }

    /// Seed 004's update request body (v1 voice), with `campaignType` as the gateway always sends it.
    static func voiceUpdateBody(name: String = "Billing Reminder Voice Campaign", v2: Bool = false) -> JSONObject {
        var body: JSONObject = [
            "name": .string(name),
            "description": .string("Progressive dialing campaign to notify customers about pending bill payments."),
            "contactLists": .array([.string("Recent Buyers - Q2 2025")]),
            "priority": .string("4"),
            "dialingMode": .string("Preview"),
            "dialingStrategy": .object([
                "callerId": .object(["phoneNumber": .string("+18123456789")]),
                "callingHours": .object([
                    "frequency": .string("WEEKLY"), "timezone": .string("Asia/Kolkata"),
                    "days": .array([.object(["day": .string("MO"), "start": .string("9:00 AM"), "end": .string("6:00 PM")])]),
                ]),
                "dialingOrder": .string("FIFO"), "maxAttemptsPerRecord": .int(3),
                "defaultRetryPeriod": .int(10), "maxRingTime": .int(30),
            ]),
            "schedule": .object(["isSchedulingEnabled": .bool(false)]),
            "queue_name": .string("Default Queue"),
            "maxSkips": .int(1),
            "campaignType": .string("voice"),
        ]
        if v2 {
            body["dncLists"] = .object(["id": .string("cl-1"), "name": .string("DNC")])
        } else {
            body["enableMachineDetect"] = .bool(false)
        }
        return body
    }

    /// An SMS update body.
    static func smsUpdateBody(name: String = "Renamed SMS Campaign") -> JSONObject {
        [
            "name": .string(name),
            "contactLists": .array([.string("CL Only 2020 Dec 4")]),
            "priority": .string("3"),
            "format": .string("simple"),
            "dialingStrategy": .object(["callerId": .object(["phoneNumber": .string("+919561600000")])]),
            "message": .object(["message": .string("SGVsbG8=")]),
            "campaignType": .string("sms"),
        ]
    }

    /// The response body as JSON (a failing parse fails the test through `#require` at the call site).
    static func json(_ response: HTTPResponse) -> JSONValue? {
        try? JSONReader.parse(response.body)
    }

    /// The `msg` values of a Kore.ai error body.
    static func errorMessages(_ response: HTTPResponse) -> [String] {
        json(response)?["errors"]?.arrayValue?.compactMap { $0["msg"]?.stringValue } ?? []
    }
}
