#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Returns `byteCount` random bytes as lowercase hexadecimal (`2 * byteCount` characters).
    public static func hexString(byteCount: Int) -> String {
        // Request ids take this path on every request: up to 32 bytes are drawn into the stack and written as hex
        // straight into the string, without an array in between.
        guard byteCount > 0, byteCount <= 32 else { return Hex.encode(bytes(byteCount)) }
        return withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 1) { random -> String in
            guard fillFromGetentropy(random) else { return Hex.encode(bytes(byteCount)) }
            return String(unsafeUninitializedCapacity: byteCount * 2) { out in
                for i in 0..<byteCount {
                    let high = random[i] >> 4, low = random[i] & 0x0F
                    out[2 * i] = high < 10 ? 0x30 + high : 0x57 + high
                    out[2 * i + 1] = low < 10 ? 0x30 + low : 0x57 + low
                }
                return byteCount * 2
            }
        }
    }

    private static func fillFromGetentropy(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
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
