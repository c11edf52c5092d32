/// SHA-256 (FIPS 180-4, section 6.2), written by hand because the package may not depend on a crypto library.
///
/// The implementation works on whole 64-byte blocks read straight from the caller's contiguous storage, with the
/// state and message schedule in stack scratch space, so hashing allocates only the 32-byte result.
public enum SHA256 {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32

    /// Length of the compression function's block in bytes (HMAC pads keys to this).
    public static let blockByteCount = 64

    /// Returns the 32-byte SHA-256 digest of `data`.
    public static func hash<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        // Arrays, ArraySlices, Data and UTF8Views of native strings are contiguous: hash them in place.
        if let digest = data.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0), UnsafeRawBufferPointer(start: nil, count: 0)) }) {
            return digest
        }
        return Array(data).withUnsafeBytes { digest($0, UnsafeRawBufferPointer(start: nil, count: 0)) }
    }

    /// Digest of the concatenation `first || second` without materialising it (HMAC hashes `pad(key) || message`).
    static func digest(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8 + 64) { scratch in
            withUnsafeTemporaryAllocation(byteCount: 2 * blockByteCount, alignment: 8) { pending in
                // scratch[0..<8] is the chaining state H, scratch[8..<72] the message schedule W.
                roundConstants.withUnsafeBufferPointer { constants in
                    guard let base = scratch.baseAddress, let tail = pending.baseAddress, let k = constants.baseAddress else { return [] }
                    let state = base
                    let schedule = base + 8
                    for i in 0..<8 { state[i] = initialState[i] }

                    var pendingCount = 0
                    // Feeds one input slice: tops up a partial block first, then compresses whole blocks in place.
                    func absorb(_ input: UnsafeRawBufferPointer) {
                        guard let source = input.baseAddress, input.count > 0 else { return }
                        var offset = 0
                        if pendingCount > 0 {
                            let take = min(blockByteCount - pendingCount, input.count)
                            (tail + pendingCount).copyMemory(from: source, byteCount: take)
                            pendingCount += take
                            offset = take
                            guard pendingCount == blockByteCount else { return }
                            compress(UnsafeRawPointer(tail), state, schedule, k)
                            pendingCount = 0
                        }
                        while input.count - offset >= blockByteCount {
                            compress(source + offset, state, schedule, k)
                            offset += blockByteCount
                        }
                        let rest = input.count - offset
                        if rest > 0 {
                            tail.copyMemory(from: source + offset, byteCount: rest)
                            pendingCount = rest
                        }
                    }
                    absorb(first)
                    absorb(second)

                    // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian integer.
                    let totalBytes = UInt64(first.count) &+ UInt64(second.count)
                    let paddedBlocks = pendingCount + 1 + 8 <= blockByteCount ? 1 : 2
                    let paddedEnd = paddedBlocks * blockByteCount
                    tail.storeBytes(of: 0x80, toByteOffset: pendingCount, as: UInt8.self)
                    (tail + pendingCount + 1).initializeMemory(as: UInt8.self, repeating: 0, count: paddedEnd - pendingCount - 1 - 8)
                    tail.storeBytes(of: (totalBytes &<< 3).bigEndian, toByteOffset: paddedEnd - 8, as: UInt64.self)
                    for block in 0..<paddedBlocks {
                        compress(UnsafeRawPointer(tail + block * blockByteCount), state, schedule, k)
                    }

                    return [UInt8](unsafeUninitializedCapacity: digestByteCount) { out, count in
                        guard let outBase = out.baseAddress else { count = 0; return }
                        let raw = UnsafeMutableRawPointer(outBase)
                        for i in 0..<8 { raw.storeBytes(of: state[i].bigEndian, toByteOffset: 4 * i, as: UInt32.self) }
                        count = digestByteCount
                    }
                }
            }
        }
    }

    /// One application of the compression function to the 64-byte block at `block`.
    @inline(__always)
    private static func compress(
        _ block: UnsafeRawPointer, _ state: UnsafeMutablePointer<UInt32>, _ w: UnsafeMutablePointer<UInt32>, _ k: UnsafePointer<UInt32>
    ) {
        for t in 0..<16 {
            w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
        }
        for t in 16..<64 {
            let x = w[t - 15], y = w[t - 2]
            let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
            let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        // Unrolled by eight with the variables renamed instead of shifted: no register shuffling between rounds.
        var t = 0
        while t < 64 {
            round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
            round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
            round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
            round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
            round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
            round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
            round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
            round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
            t += 8
        }
        state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
        state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
    }

    /// One round (FIPS 180-4 6.2.2 / 6.4.2 step 3) written for the renaming unroll: the caller rotates the roles
    /// of a...h, so only `d` (becomes e) and `h` (becomes a) change.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
    ) {
        let choose = g ^ (e & (f ^ g))
        let majority = (a & b) | (c & (a | b))
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ choose &+ kw
        d &+= t1
        h = t1 &+ (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ majority
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }

    /// H(0): the first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static let initialState: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]

    /// K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
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
