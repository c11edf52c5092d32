import Foundation
import Gateway
import GatewayConfiguration
import GatewayCrypto
import RedisClient
import Testing
import TestSupport

/// The `redis` block: read, checked with clear messages, shown redacted, compared on reload.
@Suite struct RedisConfigTests {
    static func document(_ redis: String) -> String {
        ConfigLoaderTests.document(extra: #", "redis": "# + redis)
    }

    func load(_ text: String, env: [String: String] = ["S": "s3cret", "RP": "redis-pass"],
              readsSecrets: Bool = true) -> Result<GatewayConfigLoader.Loaded, ConfigError> {
        do {
            return .success(try GatewayConfigLoader(environment: env, readsSecrets: readsSecrets)
                .parse(bytes: Array(text.utf8), baseDirectory: "/etc"))
        } catch {
            return .failure(error)
        }
    }

    /// The loader's issues, then the gateway's own (the URL through the Redis client's parser).
    func issues(_ redis: String, env: [String: String] = ["S": "s3cret", "RP": "redis-pass"]) -> [String] {
        switch load(Self.document(redis), env: env) {
        case .failure(let error): return error.issues.map(\.description)
        case .success(let loaded):
            return RedisSettings.gatewayIssues(loaded.config, environment: [:])?.issues.map(\.description) ?? []
        }
    }

    @Test func noRedisKeyMeansNoSharedState() throws {
        let config = try load(ConfigLoaderTests.document()).get().config
        #expect(config.redis == nil)
    }

    @Test func aFullBlockIsReadWithItsSecretAndBecomesTheClientsConfiguration() throws {
        let text = Self.document(#"{ "url": "rediss://redis.internal:6380/2", "username": "gateway", "password": {"env": "RP"}, "caFile": "hostname", "timeoutMilliseconds": 250, "keyPrefix": "cgw-prod:" }"#)
        let redis = try #require(try load(text).get().config.redis)
        #expect(redis.url == "rediss://redis.internal:6380/2" && redis.username == "gateway")
        #expect(redis.password == Array("redis-pass".utf8) && redis.passwordSource == .env("RP"))
        #expect(redis.caFile == "/etc/hostname" && redis.timeoutMilliseconds == 250 && redis.keyPrefix == "cgw-prod:")
        let client = try RedisSettings.configuration(redis).get()
        #expect(client.endpoint == RedisEndpoint(host: "redis.internal", port: 6380, database: 2, usesTLS: true))
        #expect(client.username == "gateway" && client.password == "redis-pass" && client.caFile == "/etc/hostname")
        #expect(client.commandTimeoutSeconds == 0.25)
    }

    @Test func theDefaultsAreATenthOfASecondAndTheCgwPrefix() throws {
        let redis = try #require(try load(Self.document(#"{ "url": "redis://127.0.0.1" }"#)).get().config.redis)
        #expect(redis.timeoutMilliseconds == 100 && redis.keyPrefix == "cgw:" && redis.password == nil && redis.username == nil)
        #expect(try RedisSettings.configuration(redis).get().endpoint == RedisEndpoint(host: "127.0.0.1"))
    }

    @Test func everyBadValueIsNamedWithItsPath() {
        let cases: [(String, String)] = [
            (#"{ }"#, "redis.url: is required"),
            (#"{ "url": "http://r:6379" }"#, "redis.url: must start with redis:// or rediss://"),
            (#"{ "url": "redis://r:99999" }"#, "redis.url: the Redis URL \"redis://r:99999\" has a port that is not 1 to 65535"),
            (#"{ "url": "redis://r/db" }"#, "a path that is not a database number"),
            (#"{ "url": "redis://r", "username": "gateway" }"#, "redis.username: needs redis.password"),
            (#"{ "url": "redis://r", "username": "two words", "password": {"env": "RP"} }"#, "redis.username: must be 1 to 128 visible ASCII"),
            (#"{ "url": "redis://r", "password": {"env": "MISSING"} }"#, "redis.password: environment variable MISSING is not set"),
            (#"{ "url": "redis://r", "password": "inline" }"#, "redis.password: must be an object"),
            (#"{ "url": "redis://r", "caFile": "/etc/hostname" }"#, "redis.caFile: is only used with rediss://"),
            (#"{ "url": "rediss://r", "caFile": "/nonexistent/ca.pem" }"#, "redis.caFile: cannot read /nonexistent/ca.pem"),
            (#"{ "url": "redis://r", "timeoutMilliseconds": 0 }"#, "redis.timeoutMilliseconds: must be between 5 and 5000"),
            (#"{ "url": "redis://r", "timeoutMilliseconds": 60000 }"#, "redis.timeoutMilliseconds: must be between 5 and 5000"),
            (#"{ "url": "redis://r", "keyPrefix": "" }"#, "redis.keyPrefix: must be 1 to 64 characters"),
            (#"{ "url": "redis://r", "keyPrefix": "cgw {x}*" }"#, "redis.keyPrefix: must be 1 to 64 characters"),
            (#"{ "url": "redis://r", "db": 1 }"#, "redis.db: unknown key"),
        ]
        for (block, expected) in cases {
            let found = issues(block)
            #expect(found.contains { $0.contains(expected) }, "\(block): \(found)")
        }
    }

    @Test func aURLWithCredentialsIsRefusedWithoutRepeatingThePassword() {
        for url in ["redis://user:hunter2@r:6379/0", "rediss://:hunter2@r", "redis://hunter2@r"] {
            let found = issues(#"{ "url": "\#(url)" }"#)
            #expect(found.contains { $0.hasPrefix("redis.url: must not carry credentials") }, "\(url): \(found)")
            #expect(!found.joined().contains("hunter2"), "\(found)")
        }
    }

    @Test func withoutSecretsThePasswordAndCAFileAreNotRead() throws {
        let text = Self.document(#"{ "url": "rediss://r", "password": {"file": "/run/secrets/not-here"}, "caFile": "/nonexistent/ca.pem" }"#)
        #expect(throws: ConfigError.self) { try load(text).get() }
        let redis = try #require(try load(text, readsSecrets: false).get().config.redis)
        #expect(redis.passwordSource == .file("/run/secrets/not-here") && redis.password == [])
    }

    @Test func checkConfigShowsTheBlockWithThePasswordRedactedAndRefusesABadURL() async throws {
        let dir = try Tools.temporaryDirectory("redis-cfg")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/gateway.json"
        let binary = try BinaryLocator.path("campaign-gateway")
        try Data(Self.document(#"{ "url": "redis://r:6379/0", "username": "gw", "password": {"env": "RP"} }"#).utf8)
            .write(to: URL(fileURLWithPath: path))
        let ok = try await OffPool.run {
            try BinaryLocator.run(binary, ["check-config", "--config", path], environment: ["S": "x", "RP": "hunter2"])
        }
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("redis: redis://r:6379/0 username=gw password=<from env RP> timeout=100ms keyPrefix=cgw:"), "\(ok.output)")
        #expect(!ok.output.contains("hunter2"), "\(ok.output)")

        try Data(ConfigLoaderTests.document().utf8).write(to: URL(fileURLWithPath: path))
        let none = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: ["S": "x"]) }
        #expect(none.status == 0 && none.output.contains("redis: none (the account budget and Idempotency-Key records are kept in this process"),
                "\(none.output)")

        try Data(Self.document(#"{ "url": "redis://r:0" }"#).utf8).write(to: URL(fileURLWithPath: path))
        let bad = try await OffPool.run { try BinaryLocator.run(binary, ["check-config", "--config", path], environment: ["S": "x"]) }
        #expect(bad.status == 1 && bad.output.contains("redis.url: the Redis URL"), "\(bad.output)")
    }

    @Test func theSimulatorReadsTheTenantsSecretsButNotTheRedisPassword() async throws {
        let text = Self.document(#"{ "url": "rediss://r", "password": {"file": "/run/secrets/not-given-to-kore-sim"}, "caFile": "/nonexistent/ca.pem" }"#)
        let loaded = try GatewayConfigLoader(environment: ["S": "s3cret"], readsRedisSecrets: false).parse(bytes: Array(text.utf8), baseDirectory: "/")
        #expect(loaded.config.tenants[0].clientSecret == Array("s3cret".utf8))
        #expect(loaded.config.redis?.passwordSource == .file("/run/secrets/not-given-to-kore-sim") && loaded.config.redis?.password == [])
        // compose gives kore-sim the gateway's file and the tenants' secret, not the Redis password: it must start.
        let dir = try Tools.temporaryDirectory("redis-cfg-sim")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/gateway.json"))
        let simulator = try SpawnedProcess(try BinaryLocator.path("kore-sim"), ["--port", "0", "--config", dir + "/gateway.json"],
                                           environment: ["S": "s3cret"])
        let banner = await simulator.line(0) ?? ""
        simulator.signal(SIGTERM)
        _ = await simulator.waitForExit(timeoutSeconds: 10)
        #expect(banner.hasPrefix("kore-sim listening on http://127.0.0.1:") && banner.contains("st-1"), "\(simulator.output)")
    }

    @Test func aReloadNamesTheRedisChangesAndAPasswordOnlyAsChanged() throws {
        let before = try load(ConfigLoaderTests.document()).get().config
        let added = try load(Self.document(#"{ "url": "redis://r", "password": {"env": "RP"} }"#)).get().config
        #expect(ConfigChanges(from: before, to: added, running: before).applied == ["redis: added (redis://r)"])
        let rotated = try load(Self.document(#"{ "url": "redis://r", "password": {"env": "RP"}, "timeoutMilliseconds": 50 }"#),
                               env: ["S": "s3cret", "RP": "new-pass"]).get().config
        let changes = ConfigChanges(from: added, to: rotated, running: before).applied
        #expect(changes == ["redis.password: changed", "redis.timeoutMilliseconds: 100 -> 50"], "\(changes)")
        #expect(!changes.joined().contains("new-pass"))
        #expect(ConfigChanges(from: rotated, to: before, running: before).applied.first?.hasPrefix("redis: removed (redis://r)") == true)
    }
}
