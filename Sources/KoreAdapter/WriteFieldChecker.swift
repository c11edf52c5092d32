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
    static func isMissing<V: WriteBodyValue>(_ value: V?) -> Bool {
        value?.isNull ?? true
    }

    /// Rejects members that are neither writable nor read-only (typos such as `priorty` would otherwise be ignored
    /// silently and the field reset by the full replacement). Read-only members are ignored.
    mutating func rejectUnknownMembers<O: WriteBodyObject>(of object: O, at parent: @autoclosure () -> String,
                                                           writable: MemberNames, readOnly: MemberNames = .none,
                                                           misplaced: [String: String] = [:]) {
        object.forEachUnknownKey(writable: writable, readOnly: readOnly) { key in
            fail(Self.path(parent(), key), misplaced[key] ?? "is not a known field")
        }
    }

    mutating func object<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, required: Bool) -> V.Object? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let object = value?.objectValue else {
            fail(field(), "must be an object")
            return nil
        }
        return object
    }

    /// A string of 1...`maxLength` UTF-16 code units (how Kore.ai's JavaScript services count length).
    mutating func string<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, required: Bool, maxLength: Int? = nil) -> String? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let text = value?.stringValue else {
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
    mutating func integer<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, in range: ClosedRange<Int>, required: Bool) -> Int? {
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

    mutating func bool<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, required: Bool) -> Bool? {
        if Self.isMissing(value) {
            if required { fail(field(), "is required") }
            return nil
        }
        guard let flag = value?.boolValue else {
            fail(field(), "must be true or false")
            return nil
        }
        return flag
    }

    /// One of `allowed`, exactly (normalized enums are lowercase; `"Preview"` is refused, not guessed).
    mutating func oneOf<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, _ allowed: [String], required: Bool) -> String? {
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
    mutating func requireAbsent<V: WriteBodyValue>(_ value: V?, at field: @autoclosure () -> String, because reason: String) {
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
    /// Every name's first eight bytes as a word (`ScannedMember.prefix`).
    private let prefixes: [UInt64]

    init(_ names: [String]) {
        set = Set(names)
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var prefixes: [UInt64] = []
        for name in set {
            let utf8 = Array(name.utf8)
            prefixes.append(utf8.withUnsafeBufferPointer { ScannedMember.prefix($0) })
            bytes += utf8
            ends.append(bytes.count)
        }
        self.bytes = bytes
        self.ends = ends
        self.prefixes = prefixes
    }

    init(arrayLiteral names: String...) { self.init(names) }

    /// No names, made once (a default argument of `[]` built one on every call).
    static let none = MemberNames([])

    func contains(_ key: String) -> Bool {
        let onBytes = key.utf8.withContiguousStorageIfAvailable { key -> Bool? in
            var high: UInt8 = 0
            for byte in key { high |= byte }
            return high < 0x80 ? contains(asciiKey: key) : nil
        }
        if let onBytes, let found = onBytes { return found }
        return set.contains(key)
    }

    /// The same for a key known to be ASCII (every byte below 0x80), compared as bytes.
    func contains(asciiKey key: UnsafeBufferPointer<UInt8>) -> Bool {
        contains(asciiKey: key, prefix: ScannedMember.prefix(key))
    }

    /// The same, given the key's prefix word (`ScannedMember.prefix`): a key of up to eight bytes is decided by its
    /// length and that word.
    func contains(asciiKey key: UnsafeBufferPointer<UInt8>, prefix: UInt64) -> Bool {
        bytes.withUnsafeBufferPointer { names in
            var start = 0
            for (n, end) in ends.enumerated() {
                // The name is names[start..<end]; `end` never exceeds `names.count` (built together above).
                if end - start == key.count && prefixes[n] == prefix {
                    if key.count <= 8 { return true }
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
}
