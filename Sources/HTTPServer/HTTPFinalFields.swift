/// Fields the encoder writes after a response's `headers`, each a literal name and a value: what the layer that
/// finishes every answer adds to it (the gateway's request id and trace context). Kept apart from `headers` so
/// adding them does not copy an answer's field array that is shared (a fixed answer built once), and held inline
/// (two of them; more go into an array) so adding them allocates nothing. Checked like `headers` when written:
/// a name that is not a token or is the server's own, or a value with CR, LF or NUL, is left out.
public struct HTTPFinalFields: Sendable {
    private var first: (name: StaticString, value: String)?
    private var second: (name: StaticString, value: String)?
    private var more: [(name: StaticString, value: String)] = []

    public init() {}

    public var count: Int { (first == nil ? 0 : 1) + (second == nil ? 0 : 1) + more.count }

    /// Appends `name: value` after the fields already added.
    public mutating func add(_ name: StaticString, _ value: String) {
        if first == nil {
            first = (name, value)
        } else if second == nil {
            second = (name, value)
        } else {
            more.append((name, value))
        }
    }

    /// Each field in the order added.
    @inline(__always)
    public func forEach(_ body: (StaticString, String) -> Void) {
        if let first { body(first.name, first.value) }
        if let second { body(second.name, second.value) }
        for field in more { body(field.name, field.value) }
    }

    /// The fields as strings, in order (for tests and diagnostics).
    public var fields: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        forEach { name, value in out.append((name: name.description, value: value)) }
        return out
    }

    /// The first value of `name` (ASCII case-insensitive), or nil.
    public subscript(name: String) -> String? {
        fields.first { $0.name.lowercasedASCIIEquals(name) }?.value
    }
}
