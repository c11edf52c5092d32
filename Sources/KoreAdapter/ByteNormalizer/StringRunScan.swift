import TextCoding

/// Where a JSON string's plain run ends in Kore.ai's answer, sixteen bytes a step: `ByteScan.jsonStringRunEnd` (the
/// reader's eight-byte words) for the scanner, whose strings are mostly keys and short values that one step covers.
///
/// Each test is lane-wise wrapping arithmetic on `SIMD16<UInt8>` (`&-`, `&+`, `^`, `&`, `~`), which the compiler
/// lowers to SSE2 (`psubb`, `paddb`, `pxor`, `pand`, `pandn`): no lane borrows from another, so every lane's high bit
/// says exactly whether that byte matches. Swift's `.==` and `.<` on SIMD vectors, by contrast, lower to a loop over
/// the lanes. The two halves are then read as words and the first flagged lane found by `trailingZeroBitCount`.
enum StringRunScan {
    /// A lane's high bit.
    @inline(__always)
    static var highs: SIMD16<UInt8> { SIMD16(repeating: 0x80) }

    /// The high bit set in each lane that ends a plain run when reading: a quote, a backslash or a control byte.
    /// For a lane byte `v`: `(x &- 1) & ~x` has its high bit set exactly when `x` is zero, and `~(v ^ c)`'s high bit
    /// is `~v`'s for `c` below 0x80; `(v &- 0x20) & ~v` has it exactly when `v` is below 0x20.
    @inline(__always)
    static func stopLanes(_ v: SIMD16<UInt8>) -> SIMD16<UInt8> {
        let quote = v ^ SIMD16(repeating: UInt8(ascii: "\""))
        let backslash = v ^ SIMD16(repeating: UInt8(ascii: "\\"))
        let one = SIMD16<UInt8>(repeating: 1)
        return ((quote &- one) | (backslash &- one) | (v &- SIMD16(repeating: 0x20))) & ~v & highs
    }

    /// The high bit set in each lane holding a byte above 0x7E (non-ASCII or a DEL: `v &+ 1` reaches the high bit
    /// from below only at 0x7F). Such a run is rare in Kore.ai's answers: it is told apart byte by byte afterwards.
    @inline(__always)
    static func specialLanes(_ v: SIMD16<UInt8>) -> SIMD16<UInt8> { (v | (v &+ SIMD16(repeating: 1))) & highs }

    /// The first index from `start` of a quote, a backslash or a control byte in `bytes`, or `bytes.count`: exactly
    /// `ByteScan.jsonStringRunEnd(_:from:high:del:)`. `high` gets 0x80 when the run held a byte above 0x7F and `del`
    /// is set when it held a DEL. Sixteen bytes a step while sixteen are left, then the reader's word scan.
    @inline(__always)
    static func runEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, high: inout UInt8, del: inout Bool) -> Int {
        guard let base = bytes.baseAddress, start >= 0 else {
            return ByteScan.jsonStringRunEnd(bytes, from: start, high: &high, del: &del)
        }
        var i = start
        var end = -1
        // The high bit of every lane of the run so far that holds a byte above 0x7E.
        var special: UInt64 = 0
        while i <= bytes.count &- 16 {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let stops = unsafeBitCast(stopLanes(v), to: SIMD2<UInt64>.self)
            let specials = unsafeBitCast(specialLanes(v), to: SIMD2<UInt64>.self)
            // `w &- 1` keeps the lanes below the lowest flagged one (and its low bits) and drops that lane's high bit;
            // lanes above it keep only stop bits, where no special bit can be (a stop byte is below 0x7F).
            let low = UInt64(littleEndian: stops[0])
            if low != 0 {
                special |= UInt64(littleEndian: specials[0]) & (low &- 1)
                end = i &+ (low.trailingZeroBitCount >> 3)
                break
            }
            let upper = UInt64(littleEndian: stops[1])
            if upper != 0 {
                special |= specials[0] | (UInt64(littleEndian: specials[1]) & (upper &- 1))
                end = i &+ 8 &+ (upper.trailingZeroBitCount >> 3)
                break
            }
            special |= specials[0] | specials[1]
            i &+= 16
        }
        let covered = end >= 0 ? end : i
        if special != 0 {
            for j in start..<covered {
                let byte = bytes[j]
                high |= byte & 0x80
                if byte == 0x7F { del = true }
            }
        }
        return end >= 0 ? end : ByteScan.jsonStringRunEnd(bytes, from: i, high: &high, del: &del)
    }
}

extension StringRunScan {
    /// The end (just past the closing quote) of the string literal whose opening quote is at `start`, when the
    /// literal is plain: every byte before its closing quote printable ASCII (no escape, no control byte, nothing
    /// above 0x7E), found in sixteen-byte steps from the byte after the opening quote, each step lying inside the
    /// buffer. Otherwise -1, and the caller scans the literal in full (also when the closing quote is in the last
    /// bytes, which no whole step reaches). Nearly all of Kore.ai's keys and values are such literals, most of them
    /// found in the first step: no call, no flags.
    @inline(__always)
    static func plainStringEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int {
        guard let base = bytes.baseAddress, start >= 0 else { return -1 }
        var step = start &+ 1
        while step <= bytes.count &- 16 {
            let v = UnsafeRawPointer(base + step).loadUnaligned(as: SIMD16<UInt8>.self)
            let stops = unsafeBitCast(stopLanes(v), to: SIMD2<UInt64>.self)
            let specials = unsafeBitCast(specialLanes(v), to: SIMD2<UInt64>.self)
            let low = UInt64(littleEndian: stops[0])
            let closing: Int
            if low != 0 {
                guard UInt64(littleEndian: specials[0]) & (low &- 1) == 0 else { return -1 }
                closing = step &+ (low.trailingZeroBitCount >> 3)
            } else {
                let upper = UInt64(littleEndian: stops[1])
                guard specials[0] == 0 else { return -1 }
                if upper == 0 {
                    guard specials[1] == 0 else { return -1 }
                    step &+= 16
                    continue
                }
                guard UInt64(littleEndian: specials[1]) & (upper &- 1) == 0 else { return -1 }
                closing = step &+ 8 &+ (upper.trailingZeroBitCount >> 3)
            }
            return bytes[closing] == UInt8(ascii: "\"") ? closing &+ 1 : -1
        }
        return -1
    }
}
