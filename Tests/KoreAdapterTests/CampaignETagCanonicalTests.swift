import JSONCore
@testable import KoreAdapter
import Testing

/// The ETag's canonical JSON is written in place and sorted by a byte comparison without arrays: it must be exactly
/// the bytes of the plain formulation (keys sorted as UTF-8 byte arrays, every value through JSONWriter).
@Suite struct CampaignETagCanonicalTests {
    static func reference(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            let sorted = object.entries.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                reference(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                reference(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        default:
            out += JSONWriter.write(value)
        }
    }

    @Test func sameBytesAsThePlainFormulation() {
        // Prefixes, case, the empty key, non-ASCII against ASCII (é is 0xC3 0xA9, after z), escapes in keys and values.
        let keys = ["b", "a", "ab", "", "é", "z", "Z", "aé", "a\"q", "a\\b", "😀", "\u{01}"]
        let scalars: [JSONValue] = [.null, .bool(true), .bool(false), .number("-1.5e3"), .number("0"), .string(""),
                                    .string("é\n\"\\\u{7F}"), .string("plain text")]
        var members: [(String, JSONValue)] = []
        for (index, key) in keys.enumerated() {
            let inner: JSONValue = .object(JSONObject(keys.reversed().enumerated().map { ($1, scalars[($0 + index) % scalars.count]) }))
            members.append((key, index % 3 == 0 ? inner : index % 3 == 1 ? .array([scalars[index % scalars.count], inner, .array([])])
                                                                          : scalars[index % scalars.count]))
        }
        let document: JSONValue = .object(JSONObject(members))
        var expected: [UInt8] = []
        Self.reference(document, into: &expected)
        var actual: [UInt8] = []
        CampaignETag.canonical(document, into: &actual)
        #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        for scalar in scalars {
            var one: [UInt8] = []
            CampaignETag.canonical(scalar, into: &one)
            #expect(one == JSONWriter.write(scalar))
        }
    }

    @Test func byteOrderOfKeys() {
        #expect(CampaignETag.utf8Precedes("a", "ab") && !CampaignETag.utf8Precedes("ab", "a"))
        #expect(CampaignETag.utf8Precedes("Z", "a") && CampaignETag.utf8Precedes("z", "é"))
        #expect(!CampaignETag.utf8Precedes("x", "x") && CampaignETag.utf8Precedes("", "x"))
    }
}
