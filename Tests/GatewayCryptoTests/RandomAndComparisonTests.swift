import GatewayCrypto
import Testing

/// SecureRandom output shape and ConstantTime.equals semantics (timing is not unit-testable; the code is reviewed).
@Suite struct RandomAndComparisonTests {
    @Test func bytesHaveTheRequestedLength() {
        for count in [0, 1, 16, 255, 256, 257, 1000] {
            #expect(SecureRandom.bytes(count).count == count)
        }
        #expect(SecureRandom.bytes(-5).isEmpty)
    }

    @Test func successiveDrawsDiffer() {
        let draws = Set((0..<100).map { _ in SecureRandom.bytes(16) })
        #expect(draws.count == 100)
    }

    @Test func largeDrawsAreNotZeroFilled() {
        // getentropy serves at most 256 bytes per call; a bug in the chunk loop would leave zeros behind.
        let bytes = SecureRandom.bytes(4096)
        let tail = bytes.suffix(1024)
        #expect(tail.contains { $0 != 0 })
        #expect(Set(bytes).count > 200)
    }

    @Test func hexStringIsLowercaseHexOfTwiceTheByteCount() {
        let text = SecureRandom.hexString(byteCount: 16)
        #expect(text.utf8.count == 32)
        #expect(text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        #expect(SecureRandom.hexString(byteCount: 16) != text)
    }

    @Test func constantTimeEquals() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
    }
}
