import GatewayCrypto
import Testing

/// FIPS 180-4 / NIST CSRC example vectors for SHA-256.
@Suite struct SHA256Tests {
    private func digest(_ text: String) -> String { Hex.encode(SHA256.hash(Array(text.utf8))) }

    @Test func emptyMessage() {
        #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abc() {
        #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage448Bits() {
        #expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func message896Bits() {
        let text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(digest(text) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func oneMillionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func nonContiguousCollectionsHashLikeArrays() {
        let text = "The quick brown fox jumps over the lazy dog"
        let bytes = Array(text.utf8)
        let expected = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        #expect(Hex.encode(SHA256.hash(bytes)) == expected)
        #expect(Hex.encode(SHA256.hash(text.utf8)) == expected)
        #expect(Hex.encode(SHA256.hash(bytes.lazy.map { $0 })) == expected)
        #expect(Hex.encode(SHA256.hash(bytes[0...])) == expected)
    }

    /// Lengths around the padding boundaries (the length field fitting in the last block or not) and across several
    /// blocks, from an array and from a collection without contiguous storage, against hashlib's digests of the bytes.
    static let boundaryDigests: [(Int, String)] = [
        (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
        (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
        (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
        (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
        (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
        (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
        (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
        (127, "a8d23e75d936f303d248888d9b165ee543f4cbafcad3c9dd2a79bd84faa11d07"),
        (128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"),
        (129, "307f8fc2c1622b92762e818d39a185d4d667ad49a4b07ceae1f4afa008a93ec4"),
        (1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"),
    ]

    @Test func paddingBoundariesAndMultipleBlocks() {
        for (count, expected) in Self.boundaryDigests {
            let message = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            #expect(Hex.encode(SHA256.hash(message)) == expected, "SHA256 of \(count) bytes")
            #expect(Hex.encode(SHA256.hash(message.lazy.map { $0 })) == expected, "SHA256 of \(count) bytes, not contiguous")
        }
    }
}
