import Foundation
import Testing

/// A campaign created through the gateway lives in the simulator like any other: it can be read, listed, started,
/// stopped, updated and deleted, on both versions and both types.
@Suite struct LifecycleEndToEndTests {
    @Test(arguments: ["v1", "v2"], ["voice", "sms"])
    func createdCampaignGoesThroughItsWholeLife(tenant: String, type: String) async throws {
        let h = try GatewayHarness()
        let v2 = tenant == "v2"
        let name = "Lifecycle \(type) \(tenant)"
        let body = type == "voice" ? CampaignAPI.voiceCreate("progressive", name: name, v2: v2) : CampaignAPI.smsCreate("plain", name: name, v2: v2)
        let created = try await h.send("POST", "/campaigns/\(type)", tenant: tenant, json: body)
        let id = try #require((created.json?["campaign"] as? [String: Any])?["id"] as? String, "\(created.text)")
        let path = "/campaigns/\(type)/\(id)"

        let read = try await h.send("GET", path, tenant: tenant)
        let listed = try await h.send("GET", "/campaigns/\(type)?status=ready", tenant: tenant)
        let started = try await h.send("POST", path + "/start", tenant: tenant)
        let stopped = try await h.send("POST", path + "/stop", tenant: tenant)
        var edited = try #require(read.json?["campaign"] as? [String: Any])
        edited["name"] = name + " (edited)"
        // GET, edit, PUT: the read shape goes back as is (read-only fields ignored).
        if var voice = edited["voice"] as? [String: Any] { voice["queueName"] = "Default Queue"; edited["voice"] = voice }
        let updated = try await h.send("PUT", path, tenant: tenant, json: edited)
        let reread = try await h.send("GET", path, tenant: tenant)
        let deleted = try await h.send("DELETE", path, tenant: tenant)
        let gone = try await h.send("GET", path, tenant: tenant)
        await h.stop()

        #expect(created.status == 201)
        #expect(read.status == 200 && (read.json?["campaign"] as? [String: Any])?["name"] as? String == name)
        let listedIds = ((listed.json?["campaigns"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        #expect(listedIds.contains(id), "\(listed.text)")
        #expect((started.json?["run"] as? [String: Any])?["status"] as? String == "active", "\(started.text)")
        #expect((stopped.json?["run"] as? [String: Any])?["status"] as? String == "stopped", "\(stopped.text)")
        #expect(updated.status == 200, "\(updated.text)")
        let after = try #require(reread.json?["campaign"] as? [String: Any])
        #expect(after["name"] as? String == name + " (edited)")
        #expect(after["status"] as? String == "stopped")
        #expect(deleted.status == 200 && (deleted.json?["campaign"] as? [String: Any])?["id"] as? String == id)
        #expect(gone.status == 404)
    }
}
