import Foundation
import GatewayCrypto
import TestSupport
import Testing

/// `campaign-gateway hash-key [KEY]`: what an operator runs to make a client's key and the digest the configuration
/// holds. The digest must be the one the gateway checks (SHA-256 of the key's bytes, lowercase hex), and a new key
/// must be new each time.
@Suite struct HashKeyCommandTests {
    @Test func aGivenKeyPrintsItsSHA256() async throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        let run = try await OffPool.run { try BinaryLocator.run(binary, ["hash-key", "abc"], environment: [:]) }
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aNewKeyIsRandomAndPrintedWithItsSHA256() async throws {
        let binary = try BinaryLocator.path("campaign-gateway")
        var keys = Set<String>()
        for _ in 0..<2 {
            let run = try await OffPool.run { try BinaryLocator.run(binary, ["hash-key"], environment: [:]) }
            #expect(run.status == 0, "\(run.output)")
            let lines = run.output.split(separator: "\n").map(String.init)
            let key = try #require(lines.first { $0.hasPrefix("key:    cgw_") }).dropFirst("key:    ".count)
            let digest = try #require(lines.first { $0.hasPrefix("sha256: ") }).dropFirst("sha256: ".count)
            #expect(key.utf8.count == 4 + 48 && key.dropFirst(4).allSatisfy(\.isHexDigit), "\(key)")
            #expect(String(digest) == Hex.encode(SHA256.hash(Array(key.utf8))))
            keys.insert(String(key))
        }
        #expect(keys.count == 2)
    }
}
