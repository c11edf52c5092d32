/// SHA-256 (FIPS 180-4, section 6.2), written by hand because the package may not depend on a crypto library.
public enum SHA256 {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    /// Length of the compression function's block in bytes (HMAC pads keys to this).
    public static let blockByteCount = 64

    /// Returns the 32-byte SHA-256 digest of `data`.
    public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        // The hashing is the non-generic `digest`, compiled for this hash's words whatever `C` is. Through the generic
        // `SHA2.hash` a caller in another module ran the compression unspecialized, about 15 times the instructions.
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        if let result = data.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0), empty) }) { return result }
        return Array(data).withUnsafeBytes { digest($0, empty) }
    }

    /// Digest of the concatenation `first || second` without materialising it.
    static func digest(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> [UInt8] {
        SHA2<SHA256>.digest(first, second, digestByteCount: digestByteCount)
    }
}

extension SHA256: SHA2Compression {
    typealias Word = UInt32
    static let scheduleWordCount = 64

    // Each rotation of a sum of rotations nested (rotr(rotr(rotr(x, 9) ^ x, 11) ^ x, 2) is rotr 2 ^ rotr 13 ^
    // rotr 22): one register copy instead of three, as x86's rotate overwrites its operand.
    @inline(__always) static func bigSigma0(_ x: Word) -> Word { rotr(rotr(rotr(x, 9) ^ x, 11) ^ x, 2) }
    @inline(__always) static func bigSigma1(_ x: Word) -> Word { rotr(rotr(rotr(x, 14) ^ x, 5) ^ x, 6) }
    @inline(__always) static func smallSigma0(_ x: Word) -> Word { rotr(rotr(x, 11) ^ x, 7) ^ (x &>> 3) }
    @inline(__always) static func smallSigma1(_ x: Word) -> Word { rotr(rotr(x, 2) ^ x, 17) ^ (x &>> 10) }

    /// H(0): the first 32 bits of the fractional parts of the square roots of the first 8 primes.
    static let initialState: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]

    /// K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
