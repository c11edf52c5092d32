#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Cryptographically secure random bytes from the kernel, for `jti` values, request ids and generated keys.
public enum SecureRandom {
    /// Returns `count` random bytes (empty for `count <= 0`).
    ///
    /// Reads the kernel CSPRNG through `getentropy(3)`, which glibc implements as the `getrandom(2)` system call
    /// (Glibc's module map exports `getentropy` but not `getrandom`); it serves at most 256 bytes a call, so this
    /// loops. If that fails (a kernel without `getrandom`), it reads `/dev/urandom`, and as a last resort uses the
    /// standard library's `SystemRandomNumberGenerator`, which draws from the same kernel source.
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var result = [UInt8](repeating: 0, count: count)
        let filled = result.withUnsafeMutableBytes { buffer in
            fillFromGetentropy(buffer) || fillFromURandom(buffer)
        }
        if !filled {
            var generator = SystemRandomNumberGenerator()
            for i in 0..<count {
                result[i] = generator.next()
            }
        }
        return result
    }

    /// Returns `byteCount` random bytes as lowercase hexadecimal (`2 * byteCount` characters), for identifiers:
    /// request and trace ids, `jti` values, lock tokens. Up to 32 bytes come from a pool the kernel refills 256 bytes
    /// at a time (a request draws 36 for its request and trace ids: two system calls a request became one per seven).
    /// Every byte is handed out once and zeroed in the pool as it is. A secret (a generated API key) takes `bytes`,
    /// which asks the kernel each time and keeps nothing.
    public static func hexString(byteCount: Int) -> String {
        guard byteCount > 0, byteCount <= 32 else { return Hex.encode(bytes(byteCount)) }
        return withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 1) { random -> String in
            guard identifierPool.withLock({ $0.draw(into: random) }) else { return Hex.encode(bytes(byteCount)) }
            return lowercaseHex(UnsafeRawBufferPointer(random))
        }
    }

    /// `random` as lowercase hexadecimal, for identifiers whose bytes were drawn with `fillIdentifier` together
    /// with others (a request id and its trace's ids: one draw of the pool, not two).
    public static func lowercaseHex(_ random: UnsafeRawBufferPointer) -> String {
        guard !random.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: random.count * 2) { out in
            guard let target = out.baseAddress, out.count >= random.count * 2 else { return 0 }
            writeLowercaseHex(random, to: UnsafeMutableRawPointer(target))
            return random.count * 2
        }
    }

    /// `random` as lowercase hexadecimal written at `target`, which must have room for `2 * random.count` bytes:
    /// four bytes a step (`hexDigits`), the last few one at a time.
    @inlinable
    public static func writeLowercaseHex(_ random: UnsafeRawBufferPointer, to target: UnsafeMutableRawPointer) {
        var i = 0
        if let source = random.baseAddress {
            while i &+ 4 <= random.count {
                let four = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                target.storeBytes(of: hexDigits(of: four).littleEndian, toByteOffset: 2 &* i, as: UInt64.self)
                i &+= 4
            }
        }
        while i < random.count {
            let high = random[i] >> 4, low = random[i] & 0x0F
            target.storeBytes(of: high < 10 ? 0x30 + high : 0x57 + high, toByteOffset: 2 &* i, as: UInt8.self)
            target.storeBytes(of: low < 10 ? 0x30 + low : 0x57 + low, toByteOffset: 2 &* i &+ 1, as: UInt8.self)
            i &+= 1
        }
    }

    /// Four bytes (the first in the lowest bits) as eight lowercase hex digits, the first digit in the lowest byte:
    /// each byte spread into a 16-bit lane, its nibbles swapped into digit order, and every nibble made a digit at
    /// once (`'0' + n`, plus 39 more where `n` is 10 or above, which is where `n + 6` carries into bit 4).
    @inlinable @inline(__always)
    public static func hexDigits(of four: UInt32) -> UInt64 {
        var x = UInt64(four)
        x = (x | x &<< 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x &<< 8) & 0x00FF_00FF_00FF_00FF
        let nibbles = (x &>> 4) & 0x000F_000F_000F_000F | (x & 0x000F_000F_000F_000F) &<< 8
        let letters = ((nibbles &+ 0x0606_0606_0606_0606) &>> 4) & 0x0101_0101_0101_0101
        return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
    }

    /// Fills `buffer` with random bytes for an identifier from the same pool as `hexString` (the bytes of a trace's
    /// ids, written as hex by their caller without a string in between). More than the pool holds at once comes
    /// from the kernel directly.
    public static func fillIdentifier(_ buffer: UnsafeMutableRawBufferPointer) {
        guard !buffer.isEmpty, !identifierPool.withLock({ $0.draw(into: buffer) }) else { return }
        let fresh = bytes(buffer.count)
        fresh.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }

    private static let identifierPool = Mutex(IdentifierPool())

    /// Kernel random bytes not handed out yet. `Mutex` keeps it correct across event loops; it is held for a copy
    /// of at most 32 bytes, or for one `getentropy` of 256 when it runs dry.
    private struct IdentifierPool: ~Copyable {
        static let capacity = 256
        var bytes = [UInt8](repeating: 0, count: IdentifierPool.capacity)
        /// Where the unused bytes start; all used when it equals the capacity (so the first draw fills it).
        var next = IdentifierPool.capacity

        /// Fills `out` (at most `capacity` bytes) from the pool, refilling it first when too few are left (those
        /// few are dropped, not mixed with new ones). False when the kernel gave nothing.
        mutating func draw(into out: UnsafeMutableRawBufferPointer) -> Bool {
            guard out.count <= IdentifierPool.capacity else { return false }
            if IdentifierPool.capacity - next < out.count {
                guard bytes.withUnsafeMutableBytes({ SecureRandom.fillFromGetentropy($0) }) else { return false }
                next = 0
            }
            bytes.withUnsafeMutableBytes { pool in
                let taken = UnsafeMutableRawBufferPointer(rebasing: pool[next..<(next + out.count)])
                out.copyMemory(from: UnsafeRawBufferPointer(taken))
                taken.initializeMemory(as: UInt8.self, repeating: 0)
            }
            next += out.count
            return true
        }
    }

    fileprivate static func fillFromGetentropy(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        var offset = 0
        while offset < buffer.count {
            // getentropy refuses requests above 256 bytes (EIO), so ask in chunks.
            let chunk = min(256, buffer.count - offset)
            if getentropy(base + offset, chunk) != 0 {
                // getrandom(2) can be interrupted by a signal before the pool is ready: retry the same chunk.
                if errno == EINTR { continue }
                return false
            }
            offset += chunk
        }
        return true
    }

    private static func fillFromURandom(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var offset = 0
        while offset < buffer.count {
            let n = read(fd, base + offset, buffer.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
