import TextCoding

/// The chunk-size line of the chunked transfer coding (RFC 9112 7.1), read the same way by the server's request
/// parser and the client's response parser: 1*HEXDIG, then optionally BWS ";" and extensions, which are ignored but
/// must not hold control bytes.
public enum ChunkSizeLine {
    public enum Failure: Error, Sendable, Equatable {
        /// More than 15 hex digits: an overflow attempt (leading zeros are not worth allowing).
        case overflow
        case malformed
        case controlInExtension
    }

    /// The chunk size of line `p` (CR LF excluded).
    public static func parse(_ p: UnsafeRawBufferPointer) -> Result<Int, Failure> {
        var size = 0
        var i = 0
        while i < p.count, let v = HexDigit.value(p[i]).map(Int.init) {
            // 15 hex digits fit an Int.
            guard i < 15 else { return .failure(.overflow) }
            size = size << 4 | v
            i += 1
        }
        guard i > 0 else { return .failure(.malformed) }
        guard i < p.count else { return .success(size) }
        var j = i
        while j < p.count && (p[j] == HTTPByteClass.space || p[j] == HTTPByteClass.tab) { j += 1 }
        guard j < p.count, p[j] == UInt8(ascii: ";") else { return .failure(.malformed) }
        for k in j..<p.count where !HTTPByteClass.isFieldValue(p[k]) {
            return .failure(.controlInExtension)
        }
        return .success(size)
    }
}
