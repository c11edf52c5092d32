import RedisClient
import Testing

/// `redis://` and `rediss://` URLs: what each part becomes, and what is refused with which reason.
struct RedisEndpointTests {
    @Test(arguments: [
        ("redis://cache", RedisEndpoint(host: "cache", port: 6379, database: 0, usesTLS: false)),
        ("redis://cache:6380", RedisEndpoint(host: "cache", port: 6380)),
        ("redis://Cache.Internal:6379/", RedisEndpoint(host: "cache.internal")),
        ("redis://127.0.0.1:7000/3", RedisEndpoint(host: "127.0.0.1", port: 7000, database: 3)),
        ("rediss://redis.example.com/15", RedisEndpoint(host: "redis.example.com", database: 15, usesTLS: true)),
        ("REDISS://redis.example.com:6380/0", RedisEndpoint(host: "redis.example.com", port: 6380, usesTLS: true)),
        ("redis://[::1]:6390/2", RedisEndpoint(host: "::1", port: 6390, database: 2)),
        ("redis://[fe80::1]", RedisEndpoint(host: "fe80::1")),
    ] as [(String, RedisEndpoint)])
    func urlsAreRead(_ url: String, expected: RedisEndpoint) throws {
        #expect(try RedisEndpoint(url: url) == expected)
    }

    @Test(arguments: [
        ("http://cache:6379", "does not start with redis:// or rediss://"),
        ("cache:6379", "does not start with redis:// or rediss://"),
        ("redis://", "has no host"),
        ("redis://:6379", "has no host"),
        ("redis://cache:0", "has a port that is not 1 to 65535"),
        ("redis://cache:65536", "has a port that is not 1 to 65535"),
        ("redis://cache:", "has a port that is not 1 to 65535"),
        ("redis://cache:6379x", "has a port that is not 1 to 65535"),
        ("redis://cache/db", "has a path that is not a database number"),
        ("redis://cache/-1", "has a path that is not a database number"),
        ("redis://cache/1/2", "has a path that is not a database number"),
        ("redis://cache/1234567890", "has a path that is not a database number"),
        ("redis://cache?db=1", "has a query or fragment"),
        ("redis://cache#x", "has a query or fragment"),
        ("redis://ca che", "has spaces, control or non-ASCII characters"),
        ("redis://cäche", "has spaces, control or non-ASCII characters"),
        ("redis://[::1", "has an unclosed ["),
        ("redis://[::1]6379", "has something after ] that is not a port"),
        ("redis://[cache]", "has an IPv6 address that is not one"),
        ("redis://ca%63he", "has a host that is not a name or an IP address"),
    ])
    func badURLsAreRefusedWithTheReason(_ url: String, reason: String) {
        #expect(throws: RedisEndpoint.URLError.self) { try RedisEndpoint(url: url) }
        do {
            _ = try RedisEndpoint(url: url)
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
            #expect(error.description.contains("expected redis://host[:port][/db]"))
        }
    }

    @Test func credentialsInTheURLAreRefusedWithoutBeingRepeated() {
        for url in ["redis://alice:s3cret@cache:6379/0", "rediss://:s3cret@cache", "redis://s3cret@cache"] {
            do {
                _ = try RedisEndpoint(url: url)
                Issue.record("accepted \(url)")
            } catch {
                #expect(error.description.contains("carries credentials; set the username and password in their own settings"))
                #expect(!error.description.contains("s3cret"), "the refusal repeats the password: \(error.description)")
            }
        }
    }

    @Test func descriptionAndAddressAreTheURLWithItsDefaults() throws {
        #expect(try RedisEndpoint(url: "redis://cache").description == "redis://cache:6379/0")
        #expect(try RedisEndpoint(url: "rediss://[::1]:7000/4").description == "rediss://[::1]:7000/4")
        #expect(try RedisEndpoint(url: "rediss://[::1]:7000/4").address == "[::1]:7000")
    }

    @Test func configurationDescriptionNeverShowsThePassword() throws {
        let configuration = try RedisClient.Configuration(url: "rediss://cache/1", username: "gateway", password: "s3cret-value",
                                                          caFile: "/etc/ca.pem", commandTimeoutSeconds: 0.1)
        #expect(configuration.description == "rediss://cache:6379/1, username gateway, password set, caFile /etc/ca.pem, timeout 0.1 s")
        #expect(!"\(configuration)".contains("s3cret"))
        #expect(!String(reflecting: configuration).contains("s3cret"))
    }
}
