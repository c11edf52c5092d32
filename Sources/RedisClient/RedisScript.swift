import COpenSSL

/// A Lua script run with `EVALSHA` by its SHA-1, the way Redis caches scripts; `RedisClient.evalScript` falls back
/// to `EVAL` (which also caches it) when the server answers `NOSCRIPT` (a restarted or flushed server).
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// Lowercase hex SHA-1 of `source`, as `SCRIPT LOAD` returns it.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        sha1 = Self.sha1Hex(Array(source.utf8))
    }

    /// SHA-1 through OpenSSL's EVP interface (the library the clients already link for TLS).
    static func sha1Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha1(), nil)
        }
        // EVP_Digest of SHA-1 over memory fails only without memory; an empty digest then makes EVALSHA answer
        // NOSCRIPT, and the EVAL fallback still runs the script.
        guard ok == 1, length == 20 else { return "" }
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(40)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
