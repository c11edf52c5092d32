import GatewayCrypto
import Testing

/// FIPS 180-4 / NIST CSRC example vectors for SHA-512.
@Suite struct SHA512Tests {
    private func digest(_ text: String) -> String { Hex.encode(SHA512.hash(Array(text.utf8))) }

    @Test func emptyMessage() {
        #expect(digest("") == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
    }

    @Test func abc() {
        #expect(digest("abc") == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    }

    @Test func message448Bits() {
        #expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
            + "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445")
    }

    @Test func twoBlockMessage896Bits() {
        let text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(digest(text) == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
            + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
    }

    @Test func oneMillionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(SHA512.hash(message)) == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            + "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")
    }

    @Test func nonContiguousCollectionsHashLikeArrays() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let expected = "07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb64"
            + "2e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6"
        #expect(Hex.encode(SHA512.hash(bytes)) == expected)
        #expect(Hex.encode(SHA512.hash(bytes.lazy.map { $0 })) == expected)
    }
}
