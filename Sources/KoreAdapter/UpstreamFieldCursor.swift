import JSONCore

/// Walks one upstream JSON object while the normalizer takes the members it understands, and remembers the rest.
///
/// This is how "nothing silently lost" is enforced mechanically rather than by care:
/// every member is either taken by name or ends up in `leftovers()`, keyed by its full upstream path
/// (`dialingStrategy.callingHours.days[2].note`). Values the normalizer recognises by name but cannot interpret
/// (a priority of `"high"`) are handed back with `keep(_:_:)` and end up there too, marked `unreadable`: a member
/// nobody took is unknown (drift in Kore.ai's fields), a kept one is a known field whose value could not be read.
struct UpstreamFieldCursor {
    /// One member not understood: its full path, its value, and whether it was a known field with an unreadable value.
    typealias Leftover = (path: String, value: JSONValue, unreadable: Bool)

    /// The path of this object inside the campaign record; empty for the record itself.
    let path: String
    private var remaining: JSONObject
    private var kept: [Leftover] = []

    init(_ object: JSONObject, path: String) {
        self.remaining = object
        self.path = path
    }

    /// The full upstream path of member `key` of this object.
    func pathOf(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// Member `key` without taking it.
    func peek(_ key: String) -> JSONValue? { remaining[key] }

    /// Removes and returns member `key` (nil when absent; a JSON `null` is returned as `.null`).
    mutating func take(_ key: String) -> JSONValue? {
        guard let value = remaining[key] else { return nil }
        remaining[key] = nil
        return value
    }

    /// Records `value` found at member `key` as not understood, so it lands in `extensions`.
    mutating func keep(_ key: String, _ value: JSONValue) {
        kept.append((pathOf(key), value, true))
    }

    /// Records a value at an explicit full path (used for array elements: `days[3]`).
    mutating func keep(fullPath: String, _ value: JSONValue) {
        kept.append((fullPath, value, true))
    }

    /// Takes member `key` and opens it as a nested cursor. A member that is present but not an object (nor null) is
    /// kept as not understood, and nil is returned, exactly as when it is absent or null.
    mutating func child(_ key: String) -> UpstreamFieldCursor? {
        guard let value = take(key) else { return nil }
        switch value {
        case .object(let object): return UpstreamFieldCursor(object, path: pathOf(key))
        case .null: return nil
        default:
            keep(key, value)
            return nil
        }
    }

    /// Adopts what a nested cursor did not understand.
    mutating func absorb(_ child: UpstreamFieldCursor) {
        kept.append(contentsOf: child.leftovers())
    }

    /// Everything kept (unreadable), plus everything not taken (unknown), in document order of discovery.
    func leftovers() -> [Leftover] {
        kept + remaining.entries.map { (pathOf($0.key), $0.value, false) }
    }

    // MARK: typed takes: each returns the normalized value, `.null` when absent, and keeps what it cannot read.

    /// A string member as is.
    mutating func string(_ key: String) -> JSONValue {
        switch take(key) {
        case nil, .null?: return .null
        case .string(let text)?: return .string(text)
        case let other?: keep(key, other); return .null
        }
    }

    /// A string member lowercased (Kore.ai's enums: `"Preview"`, `"FIFO"`, `"WEEKLY"`, `"Stopped"`).
    mutating func lowercased(_ key: String) -> JSONValue {
        switch take(key) {
        case nil, .null?: return .null
        case .string(let text)?: return .string(text.lowercased())
        case let other?: keep(key, other); return .null
        }
    }

    /// An integer sent either as a JSON integer or as a decimal string (`"5"`, as every sample sends `priority`).
    mutating func integer(_ key: String) -> JSONValue {
        switch take(key) {
        case nil, .null?: return .null
        case .number(let literal)? where Int(literal) != nil: return .number(literal)
        case .string(let text)?:
            if let value = Int(text.trimmingSpaces()) { return .int(value) }
            keep(key, .string(text)); return .null
        case let other?: keep(key, other); return .null
        }
    }

    /// A boolean member.
    mutating func bool(_ key: String) -> JSONValue {
        switch take(key) {
        case nil, .null?: return .null
        case .bool(let flag)?: return .bool(flag)
        case let other?: keep(key, other); return .null
        }
    }

    /// An array of strings (contact list names). Any non-string element makes the whole member not understood.
    mutating func stringArray(_ key: String) -> JSONValue {
        switch take(key) {
        case nil, .null?: return .null
        case .array(let items)? where items.allSatisfy({ $0.stringValue != nil }): return .array(items)
        case let other?: keep(key, other); return .null
        }
    }
}

extension String {
    /// Without leading and trailing ASCII spaces.
    func trimmingSpaces() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
