/// The part SHA-256 and SHA-512 share (FIPS 180-4 sections 5.1 and 6): feeding input in whole blocks read straight
/// from the caller's storage, padding, and writing the digest. Each hash supplies only its word size, constants and
/// compression function. State and message schedule live in stack scratch space, so hashing allocates only the result.
protocol SHA2Compression {
    associatedtype Word: FixedWidthInteger & UnsignedInteger
    /// 64 for SHA-256, 128 for SHA-512.
    static var blockByteCount: Int { get }
    /// Words in the message schedule: 64 or 80.
    static var scheduleWordCount: Int { get }
    /// H(0).
    static var initialState: [Word] { get }
    /// K.
    static var roundConstants: [Word] { get }
    /// The four functions of FIPS 180-4 4.1.2 / 4.1.3, which are all that differ between the two compressions.
    static func bigSigma0(_ x: Word) -> Word
    static func bigSigma1(_ x: Word) -> Word
    static func smallSigma0(_ x: Word) -> Word
    static func smallSigma1(_ x: Word) -> Word
}

extension SHA2Compression {
    /// One application of the compression function to the block at `block`.
    @inline(__always)
    static func compress(_ block: UnsafeRawPointer, _ state: UnsafeMutablePointer<Word>, _ w: UnsafeMutablePointer<Word>,
                         _ k: UnsafePointer<Word>) {
        let wordSize = MemoryLayout<Word>.size
        for t in 0..<16 {
            w[t] = Word(bigEndian: block.loadUnaligned(fromByteOffset: wordSize * t, as: Word.self))
        }
        for t in 16..<scheduleWordCount {
            w[t] = w[t - 16] &+ smallSigma0(w[t - 15]) &+ w[t - 7] &+ smallSigma1(w[t - 2])
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        // b ^ c of the next round: this round's a ^ b (see `round`).
        var bc = b ^ c
        // Unrolled by eight with the variables renamed instead of shifted: no register shuffling between rounds.
        var t = 0
        while t < scheduleWordCount {
            round(a, b, &d, e, f, g, &h, k[t] &+ w[t], &bc)
            round(h, a, &c, d, e, f, &g, k[t + 1] &+ w[t + 1], &bc)
            round(g, h, &b, c, d, e, &f, k[t + 2] &+ w[t + 2], &bc)
            round(f, g, &a, b, c, d, &e, k[t + 3] &+ w[t + 3], &bc)
            round(e, f, &h, a, b, c, &d, k[t + 4] &+ w[t + 4], &bc)
            round(d, e, &g, h, a, b, &c, k[t + 5] &+ w[t + 5], &bc)
            round(c, d, &f, g, h, a, &b, k[t + 6] &+ w[t + 6], &bc)
            round(b, c, &e, f, g, h, &a, k[t + 7] &+ w[t + 7], &bc)
            t += 8
        }
        state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
        state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
    }

    /// One round (FIPS 180-4 6.2.2 / 6.4.2 step 3) written for the renaming unroll: the caller rotates the roles
    /// of a...h, so only `d` (becomes e) and `h` (becomes a) change. Maj(a, b, c) is ((a ^ b) & (b ^ c)) ^ b (where
    /// a and b agree it is b, elsewhere c), and this round's a ^ b is the next round's b ^ c, carried in `bc`: `c`
    /// itself is not needed.
    @inline(__always)
    static func round(_ a: Word, _ b: Word, _ d: inout Word, _ e: Word, _ f: Word, _ g: Word, _ h: inout Word,
                      _ kw: Word, _ bc: inout Word) {
        let choose = g ^ (e & (f ^ g))
        let ab = a ^ b
        let majority = (ab & bc) ^ b
        bc = ab
        let t1 = h &+ bigSigma1(e) &+ choose &+ kw
        d &+= t1
        h = t1 &+ bigSigma0(a) &+ majority
    }

    @inline(__always)
    static func rotr(_ x: Word, _ n: Word) -> Word {
        (x &>> n) | (x &<< (Word(Word.bitWidth) &- n))
    }
}

enum SHA2<Hash: SHA2Compression> {
    /// The message length in bits is written as a big-endian integer of two words (64 bits for SHA-256, 128 for SHA-512).
    static var lengthFieldByteCount: Int { 2 * MemoryLayout<Hash.Word>.size }

    /// Digest of the concatenation `first || second` without materialising it (HMAC hashes `pad(key) || message`).
    static func digest(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, digestByteCount: Int) -> [UInt8] {
        let blockByteCount = Hash.blockByteCount
        return withUnsafeTemporaryAllocation(of: Hash.Word.self, capacity: 8 + Hash.scheduleWordCount) { scratch in
            withUnsafeTemporaryAllocation(byteCount: 2 * blockByteCount, alignment: 8) { pending in
                // scratch[0..<8] is the chaining state H, the rest the message schedule W.
                Hash.roundConstants.withUnsafeBufferPointer { constants in
                    guard let base = scratch.baseAddress, let tail = pending.baseAddress, let k = constants.baseAddress else { return [] }
                    let state = base
                    let schedule = base + 8
                    for i in 0..<8 { state[i] = Hash.initialState[i] }

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
                            Hash.compress(UnsafeRawPointer(tail), state, schedule, k)
                            pendingCount = 0
                        }
                        while input.count - offset >= blockByteCount {
                            Hash.compress(source + offset, state, schedule, k)
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

                    // Padding: 0x80, zeros, then the message length in bits, big-endian. Inputs are far below
                    // 2^61 bytes, so the length's high 64 bits (SHA-512's length field is 128 bits) are the shift.
                    let totalBytes = UInt64(first.count) &+ UInt64(second.count)
                    let paddedBlocks = pendingCount + 1 + lengthFieldByteCount <= blockByteCount ? 1 : 2
                    let paddedEnd = paddedBlocks * blockByteCount
                    tail.storeBytes(of: 0x80, toByteOffset: pendingCount, as: UInt8.self)
                    (tail + pendingCount + 1).initializeMemory(as: UInt8.self, repeating: 0, count: paddedEnd - pendingCount - 1 - 8)
                    if lengthFieldByteCount == 16 {
                        tail.storeBytes(of: (totalBytes &>> 61).bigEndian, toByteOffset: paddedEnd - 16, as: UInt64.self)
                    }
                    tail.storeBytes(of: (totalBytes &<< 3).bigEndian, toByteOffset: paddedEnd - 8, as: UInt64.self)
                    for block in 0..<paddedBlocks {
                        Hash.compress(UnsafeRawPointer(tail + block * blockByteCount), state, schedule, k)
                    }

                    return [UInt8](unsafeUninitializedCapacity: digestByteCount) { out, count in
                        guard let outBase = out.baseAddress else { count = 0; return }
                        let raw = UnsafeMutableRawPointer(outBase)
                        let wordSize = MemoryLayout<Hash.Word>.size
                        for i in 0..<(digestByteCount / wordSize) {
                            raw.storeBytes(of: state[i].bigEndian, toByteOffset: wordSize * i, as: Hash.Word.self)
                        }
                        count = digestByteCount
                    }
                }
            }
        }
    }
}
