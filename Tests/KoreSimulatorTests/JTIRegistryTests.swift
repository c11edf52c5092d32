import Testing
@testable import KoreSimulator

/// The replay registry on its own.
@Suite struct JTIRegistryTests {
    @Test func remembersAndPrunesOnlyExpiredEntries() {
        var registry = JTIRegistry()
        let first = registry.register("a", expiresAt: 100, now: 0)
        let again = registry.register("a", expiresAt: 200, now: 0)
        #expect(first && !again)
        for i in 0..<2000 { _ = registry.register("live-\(i)", expiresAt: 10_000, now: 150) }
        // "a" expired at 100 and was pruned when the registry grew; every live entry is still remembered.
        #expect(registry.count == 2000)
        let replayed = registry.register("live-7", expiresAt: 10_000, now: 150)
        #expect(!replayed)
    }
}
