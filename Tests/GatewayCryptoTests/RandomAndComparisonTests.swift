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

    /// Identifiers come from a pool refilled 256 bytes at a time: draws of every size across many refills are all
    /// different and look random (a pool that did not advance, or handed out its zeroed bytes, would repeat).
    @Test func hexStringsAcrossPoolRefillsNeverRepeat() {
        var seen = Set<String>()
        for size in [6, 12, 16, 24, 32] {
            for _ in 0..<400 {
                let text = SecureRandom.hexString(byteCount: size)
                #expect(text.utf8.count == 2 * size)
                seen.insert(text)
            }
            #expect(SecureRandom.hexString(byteCount: 1).utf8.count == 2) // and leaves the pool at an odd offset
        }
        #expect(seen.count == 5 * 400, "\(5 * 400 - seen.count) repeats")
        let long = (0..<200).map { _ in SecureRandom.hexString(byteCount: 32) }
        #expect(!long.contains { $0.utf8.allSatisfy { $0 == 0x30 } })
        #expect(Set(long.joined().utf8).count == 16)
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
