/// Percent-decoding (RFC 3986 section 2.1). A `%` not followed by two hex digits makes the whole input invalid (nil)
/// rather than passing through, so every accepted value has exactly one spelling.
public enum PercentDecoding {
    /// The decoded bytes, or nil for a malformed escape. `plusAsSpace` is for form-style query strings; in paths a
    /// `+` is itself. Inlinable, so a caller in another module gets it specialized for its collection instead of
    /// the generic version's per-byte witness calls.
    @inlinable
    public static func decode<Bytes: Collection>(_ bytes: Bytes, plusAsSpace: Bool = false) -> [UInt8]? where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(HexDigit.value), let low = iterator.next().flatMap(HexDigit.value) else {
                    return nil
                }
                out.append(high << 4 | low)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return out
    }

    /// The decoded text, or nil for a malformed escape or bytes that are not UTF-8.
    public static func decode(_ text: String, plusAsSpace: Bool = false) -> String? {
        decode(text.utf8, plusAsSpace: plusAsSpace).flatMap { String(validating: $0, as: UTF8.self) }
    }
}
