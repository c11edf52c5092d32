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
}
