/// A JSON value that keeps what matters for a translating proxy: object key order, and numbers as their exact literal
/// (so an upstream `1.50` or `12345678901234567890` passes through unchanged).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, already checked against RFC 8259's grammar when parsed.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }

    /// The value as an integer when it is a number literal without fraction or exponent that fits `Int`.
    public var intValue: Int? {
        guard case .number(let literal) = self else { return nil }
        return Int(literal)
    }

    /// The value as a Double when it is a number.
    public var doubleValue: Double? {
        guard case .number(let literal) = self else { return nil }
        return Double(literal)
    }

    /// Member `key` of an object; nil for non-objects and missing keys.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o[key]
    }

    /// A short name of the value's kind, for error messages ("string", "number", ...).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A JSON object with its members in document order. A key that appears twice keeps its first position and its last
/// value (what JavaScript, and therefore Kore.ai's Node services, would see).
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: String, value: JSONValue)]

    public init() { entries = [] }

    public init(_ entries: [(String, JSONValue)]) {
        self.entries = JSONObject.deduplicated(entries)
    }

    /// The reader's members as they are when no key repeats (nearly always): no second array is built. Returns
    /// whether a key repeated, in which case the duplicate-key rule was applied.
    init(readMembers members: [(key: String, value: JSONValue)], hadDuplicates: inout Bool) {
        if JSONObject.hasDuplicateKeys(members) {
            hadDuplicates = true
            entries = JSONObject.deduplicated(members.map { ($0.key, $0.value) })
        } else {
            entries = members
        }
    }

    /// Whether any key appears twice: pairwise (lengths first) for small objects, a set for large ones.
    static func hasDuplicateKeys(_ members: [(key: String, value: JSONValue)]) -> Bool {
        if members.count <= 16 {
            for i in members.indices {
                for j in (i + 1)..<members.count where sameKey(members[i].key, members[j].key) { return true }
            }
            return false
        }
        var seen = Set<ExactKey>(minimumCapacity: members.count)
        for member in members where !seen.insert(ExactKey(member.key)).inserted { return true }
        return false
    }

    /// Applies the duplicate-key rule (first position, last value) in linear time. Setting members one by one
    /// through the subscript is a linear scan each, so a hostile 400 KB body of 40,000 distinct keys would cost
    /// over a minute of CPU to parse that way; small objects keep the scan, which is faster than hashing for them.
    static func deduplicated(_ entries: [(String, JSONValue)]) -> [(key: String, value: JSONValue)] {
        var result: [(key: String, value: JSONValue)] = []
        result.reserveCapacity(entries.count)
        if entries.count <= 16 {
            for (k, v) in entries {
                if let i = result.firstIndex(where: { sameKey($0.key, k) }) { result[i].value = v } else { result.append((k, v)) }
            }
            return result
        }
        var positions: [ExactKey: Int] = [:]
        positions.reserveCapacity(entries.count)
        for (k, v) in entries {
            if let i = positions[ExactKey(k)] {
                result[i].value = v
            } else {
                positions[ExactKey(k)] = result.count
                result.append((k, v))
            }
        }
        return result
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public subscript(key: String) -> JSONValue? {
        get {
            // Keys compared in place in the array's buffer: iterating `entries` copied every member it passed.
            return entries.withUnsafeBufferPointer { members -> JSONValue? in
                for i in members.indices where JSONObject.sameKey(members[i].key, key) {
                    return members[i].value
                }
                return nil
            }
        }
        set {
            if let i = entries.firstIndex(where: { JSONObject.sameKey($0.key, key) }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                // Objects built member by member have several: room for eight at once instead of growing 1, 2, 4, 8.
                if entries.capacity == 0 { entries.reserveCapacity(8) }
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// Whether two keys are the same key as JSON (and JavaScript) see it: the same code points, not merely canonically
    /// equivalent ones, which Swift's `==` treats as equal ("\u{1E0B}\u{323}" and "\u{1E0D}\u{307}" are two keys, of
    /// the same UTF-8 length, to Kore.ai's services). The UTF-8 lengths (stored, so free) go first, then `==`, which
    /// for two ASCII strings is a compare of their bytes and is quick to say no; only the keys it calls equal have
    /// their bytes compared, in place (`UTF8View.elementsEqual` walks indices: 38,000 instructions a PUT).
    @inline(__always)
    static func sameKey(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b && sameBytes(a, b)
    }

    static func sameBytes(_ a: String, _ b: String) -> Bool {
        let inPlace = a.utf8.withContiguousStorageIfAvailable { first in
            b.utf8.withContiguousStorageIfAvailable { second -> Bool in
                guard first.count == second.count else { return false }
                for i in 0..<first.count where first[i] != second[i] { return false }
                return true
            }
        }
        if let inPlace, let equal = inPlace { return equal }
        return a.utf8.elementsEqual(b.utf8)
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { entries.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { sameKey($0.key, $1.key) && $0.value == $1.value }
    }
}

/// A key hashed and compared by its UTF-8 bytes, for the sets and tables that large objects use: `String`'s own
/// hashing would merge canonically equivalent keys that JSON keeps apart.
struct ExactKey: Hashable {
    let key: String

    init(_ key: String) { self.key = key }

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool { JSONObject.sameKey(lhs.key, rhs.key) }

    func hash(into hasher: inout Hasher) {
        var key = key
        key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
