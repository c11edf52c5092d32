/// HMAC (RFC 2104) over the package's own SHA-256 and SHA-512.
///
/// The padded keys live in stack scratch space and the hashes consume `pad || message` without concatenating,
/// so a MAC costs two digest allocations and nothing proportional to the message.
public enum HMAC {
    /// HMAC-SHA-256 of `message` under `key` (32 bytes). Keys longer than 64 bytes are hashed first, per RFC 2104.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        mac(key: key, message: message, blockByteCount: SHA256.blockByteCount, hash: SHA256.digest)
    }

    /// HMAC-SHA-512 of `message` under `key` (64 bytes). Keys longer than 128 bytes are hashed first, per RFC 2104.
    public static func sha512(key: [UInt8], message: [UInt8]) -> [UInt8] {
        mac(key: key, message: message, blockByteCount: SHA512.blockByteCount, hash: SHA512.digest)
    }

    /// H((K ^ opad) || H((K ^ ipad) || message)), with K the key hashed if too long and zero-padded to a block.
    @inline(__always)
    private static func mac(
        key: [UInt8],
        message: [UInt8],
        blockByteCount: Int,
        hash: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> [UInt8]
    ) -> [UInt8] {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let shortKey = key.count > blockByteCount ? key.withUnsafeBytes { hash($0, empty) } : key
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockByteCount) { pad in
            for i in 0..<blockByteCount {
                pad[i] = (i < shortKey.count ? shortKey[i] : 0) ^ 0x36
            }
            let inner = message.withUnsafeBytes { hash(UnsafeRawBufferPointer(pad), $0) }
            // 0x36 ^ 0x5c turns the inner pad into the outer pad without keeping the key around a second time.
            for i in 0..<blockByteCount {
                pad[i] ^= 0x36 ^ 0x5c
            }
            return inner.withUnsafeBytes { hash(UnsafeRawBufferPointer(pad), $0) }
        }
    }
}
