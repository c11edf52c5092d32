@testable import KoreAdapter
import Testing

/// The byte normalizer writes its answer into lent storage, short writes as overlapping words: every length at every
/// offset must put exactly its bytes there, nothing before or after, and a write that does not fit is counted but
/// not made (the answer is then written again into storage of the counted length).
@Suite struct OutputBytesTests {
    @Test func everyLengthAtEveryOffsetWritesExactlyItsBytes() {
        let source: [UInt8] = (0..<40).map { UInt8(0x41 + $0) }
        for offset in 0..<20 {
            for length in 0...source.count {
                let capacity = offset + length + 3
                var count = 0
                let written = [UInt8](unsafeUninitializedCapacity: capacity) { storage, initialized in
                    storage.initialize(repeating: 0xEE)
                    var out = OutputBytes(storage)
                    for _ in 0..<offset { out.append(UInt8(ascii: "-")) }
                    source.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<length])) }
                    count = out.count
                    initialized = capacity
                }
                let expected = Array(repeating: UInt8(ascii: "-"), count: offset) + source[..<length]
                    + Array(repeating: 0xEE, count: 3)
                #expect(count == offset + length)
                #expect(written == expected, "length \(length) at \(offset)")
            }
        }
    }

    @Test func writesThatDoNotFitAreCountedNotMade() {
        for capacity in 0..<24 {
            var count = 0, fits = true
            let written = [UInt8](unsafeUninitializedCapacity: capacity + 8) { storage, initialized in
                storage.initialize(repeating: 0xEE)
                var out = OutputBytes(UnsafeMutableBufferPointer(rebasing: storage[..<capacity]))
                out.append("{\"campaign\":")
                out.append(UInt8(ascii: "x"))
                out.append("\"9:00\"")
                count = out.count
                fits = out.fits
                initialized = capacity + 8
            }
            let full = Array("{\"campaign\":x\"9:00\"".utf8)
            #expect(count == full.count)
            #expect(fits == (capacity >= full.count))
            // What was made is a prefix of the answer made of whole writes, and nothing past the storage was touched.
            let made = written[..<capacity].prefix { $0 != 0xEE }
            #expect(full.starts(with: made), "capacity \(capacity)")
            #expect(written[capacity...].allSatisfy { $0 == 0xEE }, "capacity \(capacity): written past the storage")
        }
    }
}
