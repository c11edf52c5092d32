/// The shared engine behind `Base64` and `Base64URL` (RFC 4648 sections 4 and 5); only the alphabet and the
/// padding rule differ between them.
///
/// Decoding is strict on purpose: a JWT signature or a secret that decodes from more than one spelling invites
/// confusion (two tokens that differ in text but verify the same), so anything but the one canonical spelling is nil.
enum Base64Codec {
    static let standardAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Reverse tables: byte -> 6-bit value, or `invalid`.
    static let standardTable: [UInt8] = reverseTable(standardAlphabet)
    static let urlTable: [UInt8] = reverseTable(urlAlphabet)

    private static let invalid: UInt8 = 0xFF
    private static let padByte = UInt8(ascii: "=")

    private static func reverseTable(_ alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, symbol) in alphabet.enumerated() {
            table[Int(symbol)] = UInt8(value)
        }
        return table
    }

    /// Encodes `bytes` with `alphabet`, appending `=` padding to a multiple of four characters when `padded`.
    static func encode<C: Collection>(_ bytes: C, alphabet: [UInt8], padded: Bool) -> String where C.Element == UInt8 {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0, alphabet: alphabet, padded: padded) }) {
            return text
        }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0, alphabet: alphabet, padded: padded) }
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>, alphabet: [UInt8], padded: Bool) -> String {
        let fullGroups = input.count / 3
        let remainder = input.count % 3
        let length = fullGroups * 4 + (remainder == 0 ? 0 : (padded ? 4 : remainder + 1))
        guard length > 0 else { return "" }
        return alphabet.withUnsafeBufferPointer { symbols in
            // Writing straight into the string's storage avoids an intermediate byte array.
            String(unsafeUninitializedCapacity: length) { out in
                var i = 0
                var o = 0
                for _ in 0..<fullGroups {
                    let group = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out[o] = symbols[Int(group >> 18)]
                    out[o + 1] = symbols[Int((group >> 12) & 0x3F)]
                    out[o + 2] = symbols[Int((group >> 6) & 0x3F)]
                    out[o + 3] = symbols[Int(group & 0x3F)]
                    i += 3
                    o += 4
                }
                if remainder == 1 {
                    let group = UInt32(input[i]) << 16
                    out[o] = symbols[Int(group >> 18)]
                    out[o + 1] = symbols[Int((group >> 12) & 0x3F)]
                    o += 2
                    if padded {
                        out[o] = padByte
                        out[o + 1] = padByte
                        o += 2
                    }
                } else if remainder == 2 {
                    let group = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                    out[o] = symbols[Int(group >> 18)]
                    out[o + 1] = symbols[Int((group >> 12) & 0x3F)]
                    out[o + 2] = symbols[Int((group >> 6) & 0x3F)]
                    o += 3
                    if padded {
                        out[o] = padByte
                        o += 1
                    }
                }
                return o
            }
        }
    }

    /// Decodes `text` with the reverse `table`, or nil unless it is the canonical encoding of some byte string:
    /// only alphabet characters (no whitespace), padding exactly as `padded` requires, no impossible length
    /// (one leftover character), and zero bits in the unused low bits of the last character.
    static func decode(_ text: String, table: [UInt8], padded: Bool) -> [UInt8]? {
        var text = text
        // Native Swift strings are contiguous UTF-8; bridged ones become so here (no-op otherwise).
        return text.withUTF8 { utf8 in
            table.withUnsafeBufferPointer { table in
                decode(utf8: utf8, table: table, padded: padded)
            }
        }
    }

    private static func decode(utf8 input: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt8>, padded: Bool) -> [UInt8]? {
        var symbolCount = input.count
        if padded {
            guard input.count % 4 == 0 else { return nil }
            // At most two pad characters, and only at the very end (checked below: '=' is not in the table).
            if symbolCount > 0 && input[symbolCount - 1] == padByte { symbolCount -= 1 }
            if symbolCount > 0 && input[symbolCount - 1] == padByte { symbolCount -= 1 }
        }
        let fullGroups = symbolCount / 4
        let remainder = symbolCount % 4
        // One leftover symbol carries only 6 bits: no byte string encodes to that.
        guard remainder != 1 else { return nil }
        let length = fullGroups * 3 + (remainder == 0 ? 0 : remainder - 1)

        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { out, count in
            var i = 0
            var o = 0
            // OR-ing every looked-up value lets one check at the end catch any invalid symbol (0xFF).
            var seen: UInt8 = 0
            for _ in 0..<fullGroups {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                seen |= a | b | c | d
                let group = UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)
                out[o] = UInt8(truncatingIfNeeded: group >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: group >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: group)
                i += 4
                o += 3
            }
            if remainder == 2 {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                seen |= a | b
                // The last symbol's low 4 bits fall outside the byte: they must be zero.
                if b & 0x0F != 0 { valid = false }
                out[o] = (a & 0x3F) << 2 | (b & 0x3F) >> 4
                o += 1
            } else if remainder == 3 {
                let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
                seen |= a | b | c
                // The last symbol's low 2 bits fall outside the bytes: they must be zero.
                if c & 0x03 != 0 { valid = false }
                out[o] = (a & 0x3F) << 2 | (b & 0x3F) >> 4
                out[o + 1] = (b & 0x0F) << 4 | (c & 0x3F) >> 2
                o += 2
            }
            if seen & 0xC0 != 0 { valid = false }
            count = o
        }
        return valid ? bytes : nil
    }
}
