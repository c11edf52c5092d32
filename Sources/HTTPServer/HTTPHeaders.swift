/// An ordered list of header fields. Names compare case-insensitively (RFC 9110 5.1); order and duplicates are kept.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public internal(set) var fields: [(name: String, value: String)]

    public init() { fields = [] }
    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        let count = name.utf8.count
        for field in fields where field.name.utf8.count == count && field.name.lowercasedASCIIEquals(name) {
            return field.value
        }
        return nil
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        let length = name.utf8.count
        var values: [String] = []
        for field in fields where field.name.utf8.count == length && field.name.lowercasedASCIIEquals(name) {
            values.append(field.value)
        }
        return values
    }

    /// The first value of `name` and how many fields carry that name, without collecting them (for fields that must
    /// appear once).
    public func firstValueAndCount(_ name: String) -> (first: String?, count: Int) {
        var first: String?
        var count = 0
        // Lengths first: most names are not the one asked for, and their byte count says so.
        let length = name.utf8.count
        for field in fields where field.name.utf8.count == length && field.name.lowercasedASCIIEquals(name) {
            if count == 0 { first = field.value }
            count += 1
        }
        return (first, count)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func add(_ name: String, _ value: String) {
        // An answer's fields are added one by one, four or five of them: room for eight at once instead of
        // growing 1, 2, 4, 8.
        if fields.capacity == 0 { fields.reserveCapacity(8) }
        fields.append((name: name, value: value))
    }

    /// Replaces every field called `name` with one field.
    public mutating func replace(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    public mutating func remove(_ name: String) {
        // Only touch the array when there is something to remove: a mutation of a shared array copies it.
        let length = name.utf8.count
        guard fields.contains(where: { $0.name.utf8.count == length && $0.name.lowercasedASCIIEquals(name) }) else { return }
        fields.removeAll { $0.name.lowercasedASCIIEquals(name) }
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

extension String {
    /// ASCII case-insensitive comparison; header names are ASCII tokens.
    /// Native strings (every header the parser made) are compared on their contiguous bytes; a zip of the UTF-8
    /// views costs an iterator step per byte.
    @inlinable
    public func lowercasedASCIIEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        if let fast = a.withContiguousStorageIfAvailable({ x in
            b.withContiguousStorageIfAvailable { y in Self.asciiCaseInsensitiveEqual(x, y) }
        }), let result = fast {
            return result
        }
        for (x, y) in zip(a, b) where x != y {
            let lx = (x >= 65 && x <= 90) ? x | 0x20 : x
            let ly = (y >= 65 && y <= 90) ? y | 0x20 : y
            if lx != ly { return false }
        }
        return true
    }

    @inlinable
    static func asciiCaseInsensitiveEqual(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        guard x.count == y.count else { return false }
        for i in 0..<x.count where x[i] != y[i] {
            let lx = (x[i] >= 65 && x[i] <= 90) ? x[i] | 0x20 : x[i]
            let ly = (y[i] >= 65 && y[i] <= 90) ? y[i] | 0x20 : y[i]
            if lx != ly { return false }
        }
        return true
    }
}
