import KoreAdapter
import Testing

/// The v1/v2 URL table (docs/KORE-MAPPING.md, URLs), exact strings, for every operation x version x type.
struct UpstreamSchemeTests {
    static let v1 = UpstreamTenant(baseURL: "https://platform.kore.ai", version: .v1, streamId: "st-0603182c",
                                   accountId: "67777ce93e25326494e9xxxx")
    static let v2 = UpstreamTenant(baseURL: "https://platform.kore.ai/", version: .v2, streamId: "st-0603182c",
                                   accountId: "67777ce93e25326494e9xxxx")

    struct Row: Sendable, CustomTestStringConvertible {
        let operation: CampaignOperation
        let version: UpstreamVersion
        let type: CampaignType
        let method: String
        let url: String
        var testDescription: String { "\(operation) \(version) \(type)" }
    }

    static let h = "https://platform.kore.ai"
    static let rows: [Row] = [
        Row(operation: .delete, version: .v1, type: .voice, method: "DELETE",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1?campaignType=voice"),
        Row(operation: .delete, version: .v1, type: .sms, method: "DELETE",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1?campaignType=sms"),
        Row(operation: .delete, version: .v2, type: .voice, method: "DELETE",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1?accountId=67777ce93e25326494e9xxxx&campaignType=voice"),
        Row(operation: .delete, version: .v2, type: .sms, method: "DELETE",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1?accountId=67777ce93e25326494e9xxxx&campaignType=sms"),
        Row(operation: .update, version: .v1, type: .voice, method: "PUT",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1?campaignType=voice"),
        Row(operation: .update, version: .v1, type: .sms, method: "PUT",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1?campaignType=sms"),
        Row(operation: .update, version: .v2, type: .voice, method: "PUT",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1?accountId=67777ce93e25326494e9xxxx&campaignType=voice"),
        Row(operation: .update, version: .v2, type: .sms, method: "PUT",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1?accountId=67777ce93e25326494e9xxxx&campaignType=sms"),
        Row(operation: .get, version: .v1, type: .voice, method: "GET",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1"),
        Row(operation: .get, version: .v1, type: .sms, method: "GET",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1"),
        Row(operation: .get, version: .v2, type: .voice, method: "GET",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1?accountId=67777ce93e25326494e9xxxx"),
        Row(operation: .get, version: .v2, type: .sms, method: "GET",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1?accountId=67777ce93e25326494e9xxxx"),
        Row(operation: .create, version: .v1, type: .voice, method: "POST",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign?campaignType=voice"),
        Row(operation: .create, version: .v2, type: .sms, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign?accountId=67777ce93e25326494e9xxxx&campaignType=sms"),
        Row(operation: .list, version: .v1, type: .voice, method: "POST",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/getAllCampaignDetails"),
        Row(operation: .list, version: .v2, type: .sms, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/getAllCampaignDetails?accountId=67777ce93e25326494e9xxxx"),
        // v1 start/stop live under another service prefix than v1 CRUD.
        Row(operation: .start, version: .v1, type: .voice, method: "POST",
            url: h + "/campaign/api/v1/public/st-0603182c/campaign/cd-1?campaignType=voice&trigger=play"),
        Row(operation: .stop, version: .v1, type: .sms, method: "POST",
            url: h + "/campaign/api/v1/public/st-0603182c/campaign/cd-1?campaignType=sms&trigger=stop"),
        Row(operation: .start, version: .v2, type: .sms, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/trigger/cd-1?accountId=67777ce93e25326494e9xxxx&campaignType=sms&trigger=play"),
        Row(operation: .stop, version: .v2, type: .voice, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/trigger/cd-1?accountId=67777ce93e25326494e9xxxx&campaignType=voice&trigger=stop"),
        Row(operation: .status, version: .v1, type: .voice, method: "POST",
            url: h + "/agentassist/api/v1/public/st-0603182c/campaign/cd-1/status?view=status"),
        Row(operation: .status, version: .v2, type: .voice, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/cd-1/status?accountId=67777ce93e25326494e9xxxx&view=status"),
        Row(operation: .schedule, version: .v2, type: .voice, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/schedule?accountId=67777ce93e25326494e9xxxx&enableSchedule=true&campaignName=Spring%20Sale%20%26%20More"),
        Row(operation: .unschedule, version: .v2, type: .sms, method: "POST",
            url: h + "/campaign/api/v2/public/st-0603182c/campaign/schedule?accountId=67777ce93e25326494e9xxxx&enableSchedule=false&campaignName=Spring%20Sale%20%26%20More"),
    ]

    @Test("Schedules are v2 only: v1 has no row, and every other operation has one on both versions")
    func support() {
        for operation in CampaignOperation.allCases {
            let v2Only = operation == .schedule || operation == .unschedule
            #expect(UpstreamScheme.supports(operation, version: .v2))
            #expect(UpstreamScheme.supports(operation, version: .v1) == !v2Only, "\(operation)")
        }
        #expect(UpstreamScheme.request(operation: .schedule, type: .voice, campaignName: "x", tenant: Self.v1, token: "t", body: nil) == nil)
    }

    @Test("A row that needs an id or a name is not built without it")
    func missingTargets() {
        #expect(UpstreamScheme.request(operation: .get, type: .voice, tenant: Self.v2, token: "t", body: nil) == nil)
        #expect(UpstreamScheme.request(operation: .schedule, type: .voice, tenant: Self.v2, token: "t", body: nil) == nil)
    }

    @Test("Start, stop, status and schedule send {} when no body is given")
    func emptyBodies() throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        for operation in [CampaignOperation.start, .stop, .status] {
            let request = try #require(UpstreamScheme.request(operation: operation, type: .voice, id: id, tenant: Self.v1, token: "t", body: nil))
            #expect(request.body == Array("{}".utf8))
        }
        let off = try #require(UpstreamScheme.request(operation: .unschedule, type: .voice, campaignName: "n", tenant: Self.v2, token: "t", body: nil))
        #expect(off.body == Array("{}".utf8))
    }

    @Test("Method and URL for every operation, version and type", arguments: rows)
    func urlTable(_ row: Row) throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        let tenant = row.version == .v1 ? Self.v1 : Self.v2
        let request = try #require(UpstreamScheme.request(operation: row.operation, type: row.type, id: id,
                                                          campaignName: "Spring Sale & More", tenant: tenant,
                                                          token: "jwt", body: Array("{\"a\":1}".utf8)))
        #expect(request.method == row.method)
        #expect(request.url == row.url)
    }

    @Test("Headers: auth, iid, accountId and Content-Type on every call, in that order",
          arguments: [CampaignOperation.delete, .update, .get], UpstreamVersion.allCases)
    func headers(_ operation: CampaignOperation, _ version: UpstreamVersion) throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        let request = try #require(UpstreamScheme.request(operation: operation, type: .sms, id: id,
                                                          tenant: version == .v1 ? Self.v1 : Self.v2, token: "tok.en.sig", body: nil))
        #expect(request.headers.map(\.name) == ["auth", "iid", "accountId", "Content-Type"])
        #expect(request.headers.map(\.value) == ["tok.en.sig", "st-0603182c", "67777ce93e25326494e9xxxx", "application/json"])
        #expect(request.header("content-type") == "application/json")
    }

    @Test("Only update sends a body; delete and get drop one offered by mistake")
    func bodies() throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        let body = Array("{\"name\":\"x\"}".utf8)
        for version in UpstreamVersion.allCases {
            let tenant = version == .v1 ? Self.v1 : Self.v2
            #expect(UpstreamScheme.request(operation: .update, type: .voice, id: id, tenant: tenant, token: "t", body: body)?.body == body)
            #expect(UpstreamScheme.request(operation: .delete, type: .voice, id: id, tenant: tenant, token: "t", body: body)?.body == .some(nil))
            #expect(UpstreamScheme.request(operation: .get, type: .voice, id: id, tenant: tenant, token: "t", body: body)?.body == .some(nil))
        }
    }

    @Test("Base URL prefixes and ports are kept; stream and account ids are escaped, never structural")
    func baseURLAndEscaping() throws {
        let id = try #require(CampaignID(pathSegment: "cd%2D9"))
        let tenant = UpstreamTenant(baseURL: "http://127.0.0.1:8081/proxy//", version: .v2, streamId: "st/../x",
                                    accountId: "a&campaignType=sms")
        let request = try #require(UpstreamScheme.request(operation: .delete, type: .voice, id: id, tenant: tenant, token: "t", body: nil))
        #expect(request.url == "http://127.0.0.1:8081/proxy/campaign/api/v2/public/st%2F..%2Fx/campaign/cd-9?accountId=a%26campaignType%3Dsms&campaignType=voice")
    }

    @Test("Tenant configuration problems are reported for the config loader")
    func tenantProblems() {
        #expect(Self.v1.configurationProblems().isEmpty)
        #expect(UpstreamTenant(baseURL: "http://sim:8081", version: .v1, streamId: "s", accountId: "a").configurationProblems().isEmpty)
        let bad = UpstreamTenant(baseURL: "ftp://x?y", version: .v1, streamId: "st\r\nX-Evil: 1", accountId: "")
        // One for the base URL (its first problem), one for the stream id's CR LF, one for the empty account id.
        #expect(bad.configurationProblems().count == 3)
        #expect(UpstreamTenant.baseURLProblem("https://user:secret@platform.kore.ai") == "must not carry credentials")
        #expect(UpstreamTenant.baseURLProblem("https://platform.kore.ai/prefix/a@b") == nil)
        #expect(UpstreamTenant.baseURLProblem("https://host#x") != nil)
        #expect(!UpstreamTenant(baseURL: "https://", version: .v1, streamId: "s", accountId: "a").configurationProblems().isEmpty)
    }

    @Test("Redaction replaces only the auth value")
    func redaction() throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        let request = try #require(UpstreamScheme.request(operation: .delete, type: .voice, id: id, tenant: Self.v2, token: "secret-jwt", body: nil))
        let redacted = request.redacted()
        #expect(redacted.header("auth") == "<redacted>")
        #expect(redacted.header("iid") == "st-0603182c")
        #expect(redacted.url == request.url)
        #expect(redacted != request)
    }

    @Test("A tenant's routes built once give exactly the requests the route table builds per call")
    func tenantRoutesEqualTheTable() throws {
        let id = try #require(CampaignID(pathSegment: "cd%2D9"))
        let tenants = [Self.v1, Self.v2,
                       UpstreamTenant(baseURL: "http://127.0.0.1:8081/proxy//", version: .v2, streamId: "st/../x",
                                      accountId: "a&campaignType=sms"),
                       UpstreamTenant(baseURL: "https://[::1]:9443/p", version: .v1, streamId: "s", accountId: "a")]
        var compared = 0
        for tenant in tenants {
            let routes = UpstreamTenantRoutes(tenant: tenant)
            for operation in CampaignOperation.allCases {
                for type in CampaignType.allCases {
                    for (id, name) in [(id, "Spring Sale & More"), (nil, "n"), (id, nil), (nil, nil)] as [(CampaignID?, String?)] {
                        for body in [nil, Array("{\"a\":1}".utf8)] {
                            let table = UpstreamScheme.request(operation: operation, type: type, id: id, campaignName: name,
                                                               tenant: tenant, token: "jwt", body: body)
                            let built = routes.request(operation: operation, type: type, id: id, campaignName: name,
                                                       token: "jwt", body: body)
                            #expect(built == table, "\(operation) \(type) \(tenant.baseURL) id: \(id?.value ?? "-") name: \(name ?? "-")")
                            #expect(built?.headers.map(\.name) == table?.headers.map(\.name))
                            if table != nil { compared += 1 }
                        }
                    }
                }
            }
        }
        #expect(compared > 100)
    }

    @Test("A request's origin and path join to its URL, however it was made")
    func originAndPath() throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        let tenant = UpstreamTenant(baseURL: "http://127.0.0.1:8081/proxy/", version: .v1, streamId: "s", accountId: "a")
        let request = try #require(UpstreamScheme.request(operation: .get, type: .voice, id: id, tenant: tenant, token: "t", body: nil))
        #expect(request.origin == "http://127.0.0.1:8081")
        #expect(request.pathAndQuery == "/proxy/agentassist/api/v1/public/s/campaign/cd-1")
        let parsed = UpstreamRequest(method: "GET", url: request.url, headers: request.headers, body: nil)
        #expect(parsed.origin == request.origin && parsed.pathAndQuery == request.pathAndQuery)
        let queryOnly = UpstreamRequest(method: "GET", url: "http://h:1?x=1", headers: [], body: nil)
        #expect(queryOnly.origin == "http://h:1" && queryOnly.pathAndQuery == "?x=1")
    }

    @Test("Authorizing a request replaces the auth value and nothing else")
    func authorizedBy() throws {
        let id = try #require(CampaignID(pathSegment: "cd-1"))
        let unsigned = try #require(UpstreamTenantRoutes(tenant: Self.v2).request(operation: .delete, type: .voice, id: id, token: "", body: nil))
        let signed = unsigned.authorized(by: "tok.en.sig")
        #expect(signed == UpstreamScheme.request(operation: .delete, type: .voice, id: id, tenant: Self.v2, token: "tok.en.sig", body: nil))
        let reordered = UpstreamRequest(method: "GET", url: "http://h/x", headers: [(name: "iid", value: "i"), (name: "Auth", value: "old")], body: nil)
        #expect(reordered.authorized(by: "new").headers.map(\.value) == ["i", "new"])
    }
}
