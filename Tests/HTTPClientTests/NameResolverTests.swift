import Foundation
import TestSupport
import Testing
import Transport

/// The resolver thread: numeric hosts need no lookup, names are looked up once and cached, failures too (briefly).
@Suite struct NameResolverTests {
    static func resolve(_ resolver: NameResolver, _ host: String, port: Int = 443) async -> Result<[SocketAddress], NameResolver.Failure> {
        await withCheckedContinuation { continuation in
            resolver.resolve(host: host, port: port) { continuation.resume(returning: $0) }
        }
    }

    @Test func numericHostsAreAnsweredWithoutALookup() throws {
        let resolver = NameResolver()
        #expect(try resolver.cached(host: "127.0.0.1", port: 8080)?.get().map(\.description) == ["127.0.0.1:8080"])
        #expect(try resolver.cached(host: "::1", port: 443)?.get().map(\.description) == ["[::1]:443"])
        #expect(resolver.cached(host: "example.invalid", port: 443) == nil, "a name is not known before it was looked up")
    }

    @Test func aNameIsCachedWithItsPortAppliedPerCall() async throws {
        // The machine's own name: /etc/hosts has it on any Linux box, no DNS server needed.
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // An hour: the claim is that the answer is cached, and the look at the cache may come late on a loaded machine.
        let resolver = NameResolver(positiveSeconds: 3600)
        #expect(resolver.cached(host: name, port: 80) == nil)
        let first = try await Self.resolve(resolver, name, port: 80).get()
        #expect(!first.isEmpty && first.allSatisfy { $0.port == 80 })
        let cached = try #require(resolver.cached(host: name, port: 9999))
        #expect(try cached.get().allSatisfy { $0.port == 9999 })
    }

    @Test func aFailureIsReportedWithTheNameAndCachedBriefly() async {
        // An hour: the claim is that a failure is cached, and the look at the cache may come late on a loaded machine.
        let resolver = NameResolver(positiveSeconds: 30, negativeSeconds: 3600)
        let result = await Self.resolve(resolver, "no-such-host.invalid")
        guard case .failure(let failure) = result else { Issue.record("resolved: \(result)"); return }
        #expect(failure.description.contains("no-such-host.invalid"))
        guard case .failure = resolver.cached(host: "no-such-host.invalid", port: 443) else {
            Issue.record("the failure was not cached"); return
        }
    }
}
