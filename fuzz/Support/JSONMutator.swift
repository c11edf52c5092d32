import JSONCore
#if canImport(Glibc)
import Glibc
#endif

// The structure-aware mode of the targets that read Kore.ai's answers (compiled into each by scripts/fuzz; the target
// says how many selector bytes precede the JSON with a global `fuzzPrefixBytes`).
//
// With FUZZ_STRUCTURED=1 (`scripts/fuzz structured TARGET SECONDS`), libFuzzer's mutations are replaced, four times in
// five, by mutations of the JSON value after the selector bytes: one to three values anywhere in the document become
// an extreme number, an odd string, a deeper nesting, another type, or an object gains, loses or renames a member,
// an array repeats or loses an element; the result is written back as JSON. So the fixtures' shape survives and the
// values change, which is what Kore.ai drifting or misbehaving looks like; plain byte mutation mostly produces
// documents the JSON reader refuses at once. Without the variable, every mutation is libFuzzer's own.

@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

let structuredMode = getenv("FUZZ_STRUCTURED").map { String(cString: $0) == "1" } ?? false

@_cdecl("LLVMFuzzerCustomMutator")
public func customMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var random = SplitMix(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(size))
    guard structuredMode, size > fuzzPrefixBytes, random.below(5) != 0 else { return LLVMFuzzerMutate(data, size, maxSize) }
    let body = Array(UnsafeBufferPointer(start: data + fuzzPrefixBytes, count: size - fuzzPrefixBytes))
    guard var value = try? JSONReader.parse(body) else { return LLVMFuzzerMutate(data, size, maxSize) }
    for _ in 0...random.below(3) { JSONMutation.mutateOneNode(&value, &random) }
    let bytes = JSONWriter.write(value)
    guard fuzzPrefixBytes + bytes.count <= maxSize else { return LLVMFuzzerMutate(data, size, maxSize) }
    // Now and then another operation, type or version as well.
    if random.below(8) == 0, fuzzPrefixBytes > 0 { data[0] = UInt8(truncatingIfNeeded: random.next()) }
    bytes.withUnsafeBufferPointer { written in
        if let base = written.baseAddress { (data + fuzzPrefixBytes).update(from: base, count: written.count) }
    }
    return fuzzPrefixBytes + bytes.count
}

enum JSONMutation {
    /// Integers around every boundary the gateway's arithmetic has (Int, 2^53, 32 bits), and literals Double or Int
    /// cannot hold.
    static let extremeNumbers = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "9007199254740991", "9007199254740992", "9007199254740993", "4294967295", "4294967296", "2147483648",
        "-1", "0", "-0", "1", "100", "101", "1e308", "1e309", "-1e400", "1e-400", "0.5", "1.0", "2.5e3",
        "123456789012345678901234567890", "0.000000000000000000000000000001",
    ]

    /// Strings with what breaks naive text handling: bidi overrides, combining marks (a different String == ),
    /// byte order marks, the last code points, NUL, separators JavaScript treats as line ends, numbers as text.
    static let oddStrings = [
        "", " ", "\u{202E}evil\u{202C}", "e\u{301}", "\u{E9}", "\u{FEFF}", "\u{FEFF}name", "\u{FFFF}", "\u{10FFFF}",
        "\u{0}", "a\u{0}b", "\u{2028}\u{2029}", "\u{1F600}\u{200D}\u{1F600}", "\\", "\"", "</script>",
        "9223372036854775808", " 7 ", "5", "-5", "1e3", "NaN", "Infinity", "true", "null",
        "success", "failure", "SUCCESS", "Active", "Stopped", "Ready", "9:00 AM", "12:00 AM", "24:00",
        "SGVsbG8=", "SGk%3D", "%3D%3D", "=====", "Mon", "Weekly", "Daily", "voice", "sms", "agentless", "disconnect",
    ]

    /// Member names Kore.ai's answers use (and near misses), so a mutation adds members the normalizers read.
    static let keys = [
        "status", "message", "data", "results", "totalResults", "totalPages", "hasMore", "limit", "skip", "page",
        "_id", "id", "campId", "name", "lname", "campaignType", "type", "dialingMode", "connection", "queue_name",
        "experienceFlowName", "experienceFlow", "format", "priority", "contactLists", "dncLists", "dialingStrategy",
        "callingHours", "days", "start", "end", "callerId", "phoneNumber", "schedule", "campaignInstanceId",
        "totalCallsCompleted", "updatedAt", "createdAt", "campaignExecutionType", "errors", "msg", "code", "error",
        "enableMachineDetect", "maxSkips", "templateId", "template_name", "recurrenceObject", "Status", "DATA", "",
    ]

    static func mutateOneNode(_ value: inout JSONValue, _ random: inout SplitMix) {
        var target = random.below(max(1, count(value)))
        value = rewrite(value, &target, &random, depth: 0)
    }

    static func count(_ value: JSONValue) -> Int {
        switch value {
        case .array(let items): return 1 + items.reduce(0) { $0 + count($1) }
        case .object(let object): return 1 + object.entries.reduce(0) { $0 + count($1.value) }
        default: return 1
        }
    }

    /// Walks in document order and mutates the node numbered `target`.
    static func rewrite(_ value: JSONValue, _ target: inout Int, _ random: inout SplitMix, depth: Int) -> JSONValue {
        if target == 0 {
            target = -1
            return mutated(value, &random)
        }
        target -= 1
        switch value {
        case .array(let items):
            return .array(items.map { target < 0 ? $0 : rewrite($0, &target, &random, depth: depth + 1) })
        case .object(let object):
            return .object(JSONObject(object.entries.map { ($0.key, target < 0 ? $0.value : rewrite($0.value, &target, &random, depth: depth + 1)) }))
        default:
            return value
        }
    }

    static func pick<T>(_ list: [T], _ random: inout SplitMix) -> T { list[random.below(list.count)] }

    static func scalar(_ random: inout SplitMix) -> JSONValue {
        switch random.below(5) {
        case 0: return .number(pick(extremeNumbers, &random))
        case 1: return .string(pick(oddStrings, &random))
        case 2: return .null
        case 3: return .bool(random.below(2) == 0)
        default: return .object([:])
        }
    }

    static func mutated(_ value: JSONValue, _ random: inout SplitMix) -> JSONValue {
        switch random.below(10) {
        case 0:
            return .number(pick(extremeNumbers, &random))
        case 1:
            if case .string(let text) = value, random.below(2) == 0 {
                // The original with something odd inside, or repeated long.
                let odd = pick(oddStrings, &random)
                return .string(random.below(2) == 0 ? text + odd : String(repeating: text.isEmpty ? "a" : text, count: 200))
            }
            return .string(pick(oddStrings, &random))
        case 2:
            // Nesting around the value, at and around the reader's depth limit.
            var nested = value
            for level in 0..<pick([3, 30, 63, 64, 65, 100], &random) {
                nested = level % 2 == 0 ? .array([nested]) : .object(["data": nested])
            }
            return nested
        case 3:
            // The same datum in another JSON type: what a version change or a serializer quirk does.
            switch value {
            case .number(let literal): return .string(literal)
            case .string(let text): return Double(text) != nil ? .number(text) : .array([.string(text)])
            case .bool(let flag): return .string(flag ? "true" : "false")
            case .array(let items): return items.first ?? .null
            case .object(let object): return .array(object.entries.map(\.value))
            case .null: return .string("")
            }
        case 4, 5:
            guard case .object(var object) = value else { return scalar(&random) }
            switch random.below(3) {
            case 0:
                object[pick(keys, &random)] = scalar(&random)
            case 1:
                if !object.isEmpty { object[object.entries[random.below(object.count)].key] = nil }
            default:
                if !object.isEmpty {
                    let entry = object.entries[random.below(object.count)]
                    object[entry.key] = nil
                    object[entry.key + pick(["\u{301}", "\u{200B}", " ", "_", "s"], &random)] = entry.value
                }
            }
            return .object(object)
        case 6, 7:
            guard case .array(var items) = value else { return scalar(&random) }
            if !items.isEmpty {
                switch random.below(3) {
                case 0: items.remove(at: random.below(items.count))
                case 1: items.append(items[random.below(items.count)])
                default: items += Array(repeating: items[random.below(items.count)], count: 50)
                }
            } else {
                items.append(scalar(&random))
            }
            return .array(items)
        default:
            return scalar(&random)
        }
    }
}
