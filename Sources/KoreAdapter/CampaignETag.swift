import GatewayCrypto
import JSONCore
import TextCoding

/// The entity tag of a normalized campaign: a strong tag over its canonical JSON, so two reads of an unchanged
/// campaign give the same tag on every replica and whatever bytes Kore.ai sent.
///
/// Canonical JSON here: compact, object members sorted by key (UTF-8 byte order) at every depth, arrays in order,
/// strings escaped as `JSONWriter` escapes them, numbers as their literal (the normalized shape only holds integers
/// the gateway wrote itself; numbers under `extensions` are kept as Kore.ai spelled them).
public enum CampaignETag {
    /// `"<64 hex digits of SHA-256>"`, quotes included, ready for an `ETag` header.
    public static func tag(for campaign: JSONValue) -> String {
        var bytes: [UInt8] = []
        canonical(campaign, into: &bytes)
        return tag(canonical: bytes)
    }

    /// The tag of canonical JSON already written (`CanonicalJSONBytes`).
    static func tag(canonical bytes: [UInt8]) -> String {
        let digest = SHA256.hash(bytes)
        // The quotes and the hex digits written once: joining three strings made two more and copied the digits twice.
        return HexDigit.lowercase.withUnsafeBufferPointer { digits in
            String(unsafeUninitializedCapacity: 2 + 2 * digest.count) { out in
                guard out.count >= 2 + 2 * digest.count else { return 0 }
                out[0] = UInt8(ascii: "\"")
                var o = 1
                for byte in digest {
                    out[o] = digits[Int(byte >> 4)]
                    out[o + 1] = digits[Int(byte & 0x0F)]
                    o += 2
                }
                out[o] = UInt8(ascii: "\"")
                return o + 1
            }
        }
    }

    static func canonical(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let sorted = object.entries.sorted { utf8Precedes($0.key, $1.key) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                canonical(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                canonical(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        // Scalars as JSONWriter writes them, appended in place rather than through an array each.
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .number(let literal): out.append(contentsOf: literal.utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    /// UTF-8 byte order, compared on the strings' contiguous bytes: no array per comparison (a sort makes many).
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        let onBytes = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                for i in 0..<min(x.count, y.count) where x[i] != y[i] { return x[i] < y[i] }
                return x.count < y.count
            }
        }
        if let onBytes, let result = onBytes { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
