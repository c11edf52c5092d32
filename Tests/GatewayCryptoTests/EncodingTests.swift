import GatewayCrypto
import Testing

/// Base64, Base64URL and Hex: RFC 4648 section 10 vectors, round trips, and the strict rejections.
@Suite struct EncodingTests {
    /// RFC 4648 section 10: "", "f", "fo", "foo", "foob", "fooba", "foobar".
    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func base64RFC4648Vectors() {
        for (plain, encoded) in Self.rfc4648 {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func base64URLRFC4648VectorsWithoutPadding() {
        for (plain, encoded) in Self.rfc4648 {
            let unpadded = String(encoded.filter { $0 != "=" })
            #expect(Base64URL.encode(Array(plain.utf8)) == unpadded)
            #expect(Base64URL.decode(unpadded) == Array(plain.utf8))
        }
    }

    @Test func alphabetsDifferOnlyInTheLastTwoSymbols() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xbf, 0xfe]
        #expect(Base64.encode(bytes) == "+/+//g==")
        #expect(Base64URL.encode(bytes) == "-_-__g")
        #expect(Base64.decode("+/+//g==") == bytes)
        #expect(Base64URL.decode("-_-__g") == bytes)
    }

    @Test func roundTripsEveryLengthUpTo300() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            #expect(Hex.decode(Hex.encode(bytes)) == bytes)
            #expect(Base64.encode(bytes).utf8.count == (length + 2) / 3 * 4)
            #expect(Base64URL.encode(bytes).utf8.count == (length * 4 + 2) / 3)
        }
    }

    @Test func encodersAcceptAnyByteCollection() {
        let bytes: [UInt8] = Array("hello, world".utf8)
        #expect(Base64.encode(bytes.lazy.map { $0 }) == Base64.encode(bytes))
        #expect(Base64URL.encode(bytes[2...]) == Base64URL.encode(Array(bytes[2...])))
        #expect(Hex.encode("hi".utf8) == "6869")
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm8", "Z===", "Zm9v\n", " Zm9v", "Zm9v Zm9v", "Zm=v", "Zg==Zg==", "=Zg=", "Zg==\u{0}",
        "-_-__g==", "Zm9vYg=", "Zm9vY", "Zm9vYmFy=", "Zm9vYmFy====", "Zm9v\u{e9}", "Zh==", "Zm9=",
    ])
    func base64RejectsNonCanonicalText(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test(arguments: [
        "Zg==", "Zm8=", "Z", "Zm9vY", "+/+/", "Zm9v\n", "Zm 9v", "Zm9v.", "Zh", "Zm9", "Zm9vYmFy=", "é", "Zm9vYmFyZ",
    ])
    func base64URLRejectsPaddingStandardSymbolsAndImpossibleLengths(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func emptyTextDecodesToNoBytes() {
        #expect(Base64.decode("") == [])
        #expect(Base64URL.decode("") == [])
        #expect(Hex.decode("") == [])
    }

    @Test func hexIsLowercaseOutAndCaseInsensitiveIn() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
        #expect(Hex.decode("000FaBff") == [0x00, 0x0f, 0xab, 0xff])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("0x00") == nil)
        #expect(Hex.decode(" 00") == nil)
    }
}
