import JSONCore

/// Typed, collecting access to a normalized write body: every accessor returns the value when it is acceptable and
/// otherwise records a `FieldError` and returns nil, so a whole body is checked in one pass and every failing field
/// is reported at once. A value of the wrong JSON type is a field error like any
/// other, never a crash.
struct WriteFieldChecker {
    /// More errors than this are summarised in one final entry, so a hostile body of 100,000 unknown members
    /// cannot make the 422 answer larger than the request.
    static let maxReportedErrors = 100

    private var reported: [FieldError] = []
    private var suppressed = 0

    var errors: [FieldError] {
        guard suppressed > 0 else { return reported }
        return reported + [FieldError(field: "", message: "and \(suppressed) more invalid fields")]
    }

    mutating func fail(_ field: String, _ message: String) {
        if reported.count < Self.maxReportedErrors {
            reported.append(FieldError(field: field, message: message))
        } else {
            suppressed += 1
        }
    }

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    /// Whether `value` is absent or JSON null: both mean "not given" in a write body.
    static func isMissing(_ value: JSONValue?) -> Bool {
        value == nil || value == .null
    }

    /// Rejects members that are neither writable nor read-only (typos such as `priorty` would otherwise be ignored
    /// silently and the field reset by the full replacement). Read-only members are ignored.
    mutating func rejectUnknownMembers(of object: JSONObject, at parent: @autoclosure () -> String, writable: MemberNames,
                                       readOnly: MemberNames = .none, misplaced: [String: String] = [:]) {
        // By index, reading each key alone: a `for (key, _) in` copied every member, its value retained and released.
        let members = object.entries
        for i in members.indices {
            let key = members[i].key
            if !writable.contains(key) && !readOnly.contains(key) {
                fail(Self.path(parent(), key), misplaced[key] ?? "is not a known field")
            }
        }
    }

    mutating func object(_ value: JSONValue?, at field: @autoclosure () -> String, required: Bool) -> JSONObject? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard case .object(let object)? = value else {
            fail(field(), "must be an object")
            return nil
        }
        return object
    }

    /// A string of 1...`maxLength` UTF-16 code units (how Kore.ai's JavaScript services count length).
    mutating func string(_ value: JSONValue?, at field: @autoclosure () -> String, required: Bool, maxLength: Int? = nil) -> String? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard case .string(let text)? = value else {
            fail(field(), "must be a string")
            return nil
        }
        if text.isEmpty {
            fail(field(), "must not be empty")
            return nil
        }
        if let maxLength, text.utf16.count > maxLength {
            fail(field(), "must be at most \(maxLength) characters")
            return nil
        }
        return text
    }

    /// An integer literal within `range` (no fraction, no exponent, not a string).
    mutating func integer(_ value: JSONValue?, at field: @autoclosure () -> String, in range: ClosedRange<Int>, required: Bool) -> Int? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let number = value?.intValue, range.contains(number) else {
            let expectation = range.upperBound == Int.max
                ? "must be an integer of at least \(range.lowerBound)"
                : "must be an integer from \(range.lowerBound) to \(range.upperBound)"
            fail(field(), expectation)
            return nil
        }
        return number
    }

    mutating func bool(_ value: JSONValue?, at field: @autoclosure () -> String, required: Bool) -> Bool? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard case .bool(let flag)? = value else {
            fail(field(), "must be true or false")
            return nil
        }
        return flag
    }

    /// One of `allowed`, exactly (normalized enums are lowercase; `"Preview"` is refused, not guessed).
    mutating func oneOf(_ value: JSONValue?, at field: @autoclosure () -> String, _ allowed: [String], required: Bool) -> String? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let text = value?.stringValue, allowed.contains(text) else {
            fail(field(), "must be one of " + allowed.joined(separator: ", "))
            return nil
        }
        return text
    }

    /// A field that this tenant's upstream version cannot carry: null or absent is fine, anything else is an error
    /// (silently dropping it would make the write lie about what was stored).
    mutating func requireAbsent(_ value: JSONValue?, at field: @autoclosure () -> String, because reason: String) {
        if !Self.isMissing(value) { fail(field(), reason) }
    }
}

/// The member names an object of a write body may have: a handful, looked up once per member of every body. An
/// ASCII key is compared by length and then bytes with the names of its length (hashing it for a `Set` cost about
/// twice as much); any other key takes the `Set`, whose equality (canonical equivalence) decides for non-ASCII text.
struct MemberNames: ExpressibleByArrayLiteral {
    private let set: Set<String>
    /// Every name's bytes, one after the other; `ends[i]` is where name `i` ends.
    private let bytes: [UInt8]
    private let ends: [Int]

    init(_ names: [String]) {
        set = Set(names)
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for name in set {
            bytes += name.utf8
            ends.append(bytes.count)
        }
        self.bytes = bytes
        self.ends = ends
    }

    init(arrayLiteral names: String...) { self.init(names) }

    /// No names, made once (a default argument of `[]` built one on every call).
    static let none = MemberNames([])

    func contains(_ key: String) -> Bool {
        let onBytes = key.utf8.withContiguousStorageIfAvailable { key -> Bool? in
            var high: UInt8 = 0
            for byte in key { high |= byte }
            guard high < 0x80 else { return nil }
            return bytes.withUnsafeBufferPointer { names in
                var start = 0
                for end in ends {
                    // The name is names[start..<end]; `end` never exceeds `names.count` (built together above).
                    if end - start == key.count {
                        var same = true
                        for i in 0..<key.count where names[start + i] != key[i] {
                            same = false
                            break
                        }
                        if same { return true }
                    }
                    start = end
                }
                return false
            }
        }
        if let onBytes, let found = onBytes { return found }
        return set.contains(key)
    }
}
