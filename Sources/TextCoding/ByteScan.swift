/// Word-at-a-time tests over bytes (eight at once): where a JSON string's plain run ends, for the reader and the
/// escaper. Each mask is nonzero exactly when some byte of the word matches; which byte is found by the caller's
/// byte-wise loop over that word, so the borrow between lanes that the tricks allow can never mislead.
public enum ByteScan {
    // Computed, so code inlined into other modules folds them to constants (a stored global would be a lazy one).
    @inlinable static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// Nonzero when some byte of `w` is zero.
    @inlinable @inline(__always)
    static func zeroByte(_ w: UInt64) -> UInt64 { (w &- ones) & ~w & highs }

    /// Nonzero when some byte of `w` equals `b`.
    @inlinable @inline(__always)
    public static func hasByte(_ w: UInt64, _ b: UInt8) -> UInt64 { zeroByte(w ^ (ones &* UInt64(b))) }

    /// Nonzero when some byte of `w` is below `n` (`n` at most 128).
    @inlinable @inline(__always)
    public static func hasByteBelow(_ w: UInt64, _ n: UInt8) -> UInt64 { (w &- ones &* UInt64(n)) & ~w & highs }

    /// Nonzero when some byte of `w` is 0x80 or above.
    @inlinable @inline(__always)
    public static func hasHighByte(_ w: UInt64) -> UInt64 { w & highs }

    /// The index within a word (its lowest lane first) of the first byte a nonzero mask of the tricks above flags.
    /// Exact for the lowest flagged lane: a lane is falsely flagged only by a borrow from a matching lane below it.
    @inlinable @inline(__always)
    static func firstLane(_ mask: UInt64) -> Int { mask.trailingZeroBitCount >> 3 }

    /// The low `lanes` bytes of a word (lanes 0 to 7).
    @inlinable @inline(__always)
    static func lowLanes(_ w: UInt64, _ lanes: Int) -> UInt64 { w & ((1 << UInt64(truncatingIfNeeded: lanes &* 8)) &- 1) }

    /// The first index from `start` of a byte that ends a JSON string's plain run when reading (a quote, a backslash
    /// or a control byte), or `bytes.count`; `high` collects the bits of every byte passed, so `high >= 0x80` tells
    /// whether the run held non-ASCII bytes. Whole words while eight bytes are left, the stop found in its word by
    /// the mask (no byte-by-byte pass over it); the last few bytes one by one.
    @inlinable
    public static func jsonStringRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, high: inout UInt8) -> Int {
        var i = start
        if let base = bytes.baseAddress, i >= 0 {
            var wordHigh: UInt64 = 0
            while i <= bytes.count &- 8 {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let stops = hasByte(w, UInt8(ascii: "\"")) | hasByte(w, UInt8(ascii: "\\")) | hasByteBelow(w, 0x20)
                if stops != 0 {
                    let lane = firstLane(stops)
                    if hasHighByte(wordHigh | lowLanes(w, lane)) != 0 { high |= 0x80 }
                    return i + lane
                }
                wordHigh |= w
                i += 8
            }
            if hasHighByte(wordHigh) != 0 { high |= 0x80 }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            high |= b
            i += 1
        }
        return i
    }

    /// `jsonStringRunEnd` that also tells whether the run held a DEL (0x7F), the one byte a JSON reader leaves
    /// raw in a string and the writer escapes: a run without one is written back exactly as it was read.
    @inlinable
    public static func jsonStringRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, high: inout UInt8,
                                        del: inout Bool) -> Int {
        var i = start
        if let base = bytes.baseAddress, i >= 0 {
            var wordHigh: UInt64 = 0, wordDEL: UInt64 = 0
            while i <= bytes.count &- 8 {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let stops = hasByte(w, UInt8(ascii: "\"")) | hasByte(w, UInt8(ascii: "\\")) | hasByteBelow(w, 0x20)
                if stops != 0 {
                    // A DEL flagged below the stop is a real one: a lane is only falsely flagged above a real match.
                    let lane = firstLane(stops)
                    if hasHighByte(wordHigh | lowLanes(w, lane)) != 0 { high |= 0x80 }
                    if (wordDEL | lowLanes(hasByte(w, 0x7F), lane)) != 0 { del = true }
                    return i + lane
                }
                wordHigh |= w
                wordDEL |= hasByte(w, 0x7F)
                i += 8
            }
            if hasHighByte(wordHigh) != 0 { high |= 0x80 }
            if wordDEL != 0 { del = true }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            high |= b
            if b == 0x7F { del = true }
            i += 1
        }
        return i
    }

    /// The first index from `start` of a byte a JSON string literal must escape when writing (a quote, a backslash,
    /// a control byte or DEL), or `bytes.count`.
    @inlinable
    public static func jsonEscapeIndex(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress, i >= 0 {
            while i <= bytes.count &- 8 {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let stops = hasByte(w, UInt8(ascii: "\"")) | hasByte(w, UInt8(ascii: "\\")) | hasByteBelow(w, 0x20)
                    | hasByte(w, 0x7F)
                if stops != 0 { return i + firstLane(stops) }
                i += 8
            }
            // The last few bytes as the buffer's last word, which overlaps bytes already passed (all plain, as they
            // were scanned from `start`): its first flagged lane is the stop, or there is none.
            if i < bytes.count && start <= bytes.count &- 8 {
                let last = bytes.count &- 8
                let w = UInt64(littleEndian: UnsafeRawPointer(base + last).loadUnaligned(as: UInt64.self))
                let stops = hasByte(w, UInt8(ascii: "\"")) | hasByte(w, UInt8(ascii: "\\")) | hasByteBelow(w, 0x20)
                    | hasByte(w, 0x7F)
                return stops != 0 ? last + firstLane(stops) : bytes.count
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { break }
            i += 1
        }
        return i
    }
}
