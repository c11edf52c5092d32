import GatewayCrypto
import JSONCore

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
        return "\"" + Hex.encode(SHA256.hash(bytes)) + "\""
    }

    static func canonical(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let sorted = object.entries.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
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
        default:
            out += JSONWriter.write(value)
        }
    }
}
