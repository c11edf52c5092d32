import TextCoding

/// Hexadecimal text for bytes: lowercase out, either case in.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Encodes `bytes` as lowercase hexadecimal, two characters per byte.
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let length = bytes.count * 2
        guard length > 0 else { return "" }
        return digits.withUnsafeBufferPointer { digits in
            String(unsafeUninitializedCapacity: length) { out in
                var o = 0
                for byte in bytes {
                    // A collection whose iteration disagrees with its count must not write past the buffer.
                    guard o < length else { break }
                    out[o] = digits[Int(byte >> 4)]
                    out[o + 1] = digits[Int(byte & 0x0F)]
                    o += 2
                }
                return o
            }
        }
    }

    /// The same for an array. A concrete entry point: a caller in another module gets the loop specialized for
    /// `[UInt8]` here instead of the generic one, which walks the collection through witness tables (callgrind: about
    /// 6,000 instructions for 16 bytes against a few hundred).
    public static func encode(_ bytes: [UInt8]) -> String {
        encode(bytes[...])
    }

    /// Decodes hexadecimal text (upper or lower case), or returns nil for an odd length or any other character.
    public static func decode(_ s: String) -> [UInt8]? {
        let utf8 = s.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var result = [UInt8]()
        result.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for character in utf8 {
            guard let nibble = HexDigit.value(character) else { return nil }
            if let h = high {
                result.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return result
    }

}
