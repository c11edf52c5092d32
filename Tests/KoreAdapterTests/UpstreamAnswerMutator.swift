import JSONCore
import KoreAdapter
import TestSupport

/// Seeded mutations of Kore.ai's answers for the differential test: values swapped for the spellings the normalizers
/// treat specially (enum case, numbers as strings, 12-hour times, Base64, non-ASCII, escapes), members removed and
/// added (known keys in the wrong place, unknown and dotted keys), keys repeated, strings re-spelled with escapes,
/// and plain byte damage, so both normalizers are driven down every branch, including the tree-only ones.
enum UpstreamAnswerMutator {
    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .number("0"), .number("-0"), .number("3"), .number("1.5"), .number("1e3"),
        .number("12345678901234567890"), .number("-9223372036854775808"), .string("5"), .string(" 7 "), .string("+8"),
        .string("x"), .string(""), .string("AGENTLESS"), .string("Agentless"), .string("Preview"), .string("detect"),
        .string("NO"), .string("Disconnect"), .string("maybe"), .string("9:00 PM"), .string("12:00 am"), .string("13:00 PM"),
        .string("SUCCESS"), .string("failure"), .string("ÉTÉ"), .string("\u{212A}"), .string("K"), .string("a\"b\\c\n\u{7f}/"),
        .string("SGVsbG8="), .string("SGVsbG8%3D"), .string("//79"), .string("voice"), .string("sms"), .string("cd-1"),
        .string("e\u{301}"), .string("\u{e9}"), .array([]), .array([.string("a")]), .array([.string("a"), .number("1")]),
        .object(JSONObject()), .object(["x": .number("1"), "y": .array([.object(["z": .null])])]),
        .object(["id": .string("cl-1"), "name": .string("DNC")]), .object(["phoneNumber": .string("+15550100")]),
        .object(["day": .string("MO"), "start": .string("9:00 AM"), "end": .string("6:00 PM"), "note": .bool(true)]),
    ]
    static let keys = [
        "connection", "campaignType", "type", "queue_name", "experienceFlow", "experienceFlowName", "enableMachineDetect",
        "campId", "id", "_id", "message", "format", "dialingMode", "maxSkips", "isImported", "campaignInstanceId",
        "totalMessagesSent", "campaignExecutionType", "dncLists", "callerId", "callingHours", "days", "schedule",
        "templateId", "template_name", "status", "name", "priority", "extra", "a.b", "days[0]", "ünï", "envelope",
        "data", "lname", "contactLists", "dialingStrategy", "useSystemMappings", "maxRingTime",
        // Spellings Swift's `String ==` takes for one key (canonical equivalence): "K" and the Kelvin sign, a
        // precomposed and a combining "é".
        "K", "\u{212A}", "caf\u{e9}", "cafe\u{301}",
        // A DEL byte: legal raw in a key, escaped when written, so the entity tag takes its fallback route.
        "del\u{7f}key",
    ]

    static func mutate(_ body: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        switch rng.below(10) {
        case 0: return byteDamage(body, &rng)
        case 1: return repeatedKey(body, &rng)
        default:
            guard var tree = try? JSONReader.parse(body) else { return byteDamage(body, &rng) }
            for _ in 0..<(1 + rng.below(3)) { mutateValue(&tree, &rng, depth: 0) }
            let written = JSONWriter.write(tree, pretty: rng.below(3) == 0)
            return rng.below(3) == 0 ? escapingSome(written, &rng) : written
        }
    }

    /// One change somewhere in the tree: at a random depth, a member replaced, removed or added, or an element swapped.
    static func mutateValue(_ value: inout JSONValue, _ rng: inout SeededGenerator, depth: Int) {
        switch value {
        case .object(var object):
            let entries = object.entries
            if !entries.isEmpty && depth < 5 && rng.below(3) > 0 {
                let key = entries[rng.below(entries.count)].key
                if var child = object[key] {
                    mutateValue(&child, &rng, depth: depth + 1)
                    object[key] = child
                }
            } else {
                switch rng.below(3) {
                case 0 where !entries.isEmpty: object[entries[rng.below(entries.count)].key] = nil
                default: object[keys[rng.below(keys.count)]] = values[rng.below(values.count)]
                }
            }
            value = .object(object)
        case .array(var items):
            if !items.isEmpty && rng.below(2) == 0 {
                let at = rng.below(items.count)
                mutateValue(&items[at], &rng, depth: depth + 1)
            } else {
                items.append(values[rng.below(values.count)])
            }
            value = .array(items)
        default:
            value = values[rng.below(values.count)]
        }
    }

    /// A copy of the first member of some object inserted again right after its `{` (a key twice).
    static func repeatedKey(_ body: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        let opens = body.indices.filter { body[$0] == UInt8(ascii: "{") }
        guard !opens.isEmpty else { return body }
        let at = opens[rng.below(opens.count)] + 1
        let key = keys[rng.below(keys.count)]
        var member = Array("\"\(key)\":".utf8)
        member += JSONWriter.write(values[rng.below(values.count)])
        member.append(UInt8(ascii: ","))
        var out = body
        out.insert(contentsOf: member, at: at)
        out.insert(contentsOf: member, at: at)
        return out
    }

    /// Letters and slashes inside strings written as `\u00XX` and `\/`: the same text, other bytes.
    static func escapingSome(_ body: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false, escaped = false
        for b in body {
            if inString && !escaped && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b < 0x80 && rng.below(8) == 0 {
                if b == UInt8(ascii: "/") {
                    out += Array("\\/".utf8)
                } else {
                    let hex = Array("0123456789abcdef".utf8)
                    out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                }
                continue
            }
            out.append(b)
            if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = inString } else if b == UInt8(ascii: "\"") { inString.toggle() }
        }
        return out
    }

    static let jsonBytes = Array("{}[]\",:0-e.ntfu\\ \u{7f}".utf8) + [0xC3, 0xA9, 0xED, 0xA0, 0x80]

    static func byteDamage(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        for _ in 0..<(1 + rng.below(3)) {
            guard !out.isEmpty else { break }
            let at = rng.below(out.count)
            switch rng.below(4) {
            case 0: out[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: out.remove(at: at)
            case 2: out.insert(jsonBytes[rng.below(jsonBytes.count)], at: at)
            default: out = Array(out.prefix(at))
            }
        }
        return out
    }
}
