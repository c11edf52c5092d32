import HTTPCore

/// An answer's header fields as the parser read them, in one byte buffer: per field, the name's and the value's byte
/// counts (four bytes each) then the lowercase name and the trimmed value. A `String` is made only for a field
/// someone asks for: most of an upstream's fields (`date`, `server`, the framing) are never read as text, and a
/// String per name and value was most of the answer parser's cost. Order and duplicates are kept.
public struct HTTPResponseFields: Sendable {
    private var bytes: [UInt8] = []
    public private(set) var count = 0

    /// Room for a usual answer's fields, so they are not copied as the buffer grows.
    public init() { bytes.reserveCapacity(256) }

    /// Fields given as text, kept as given (the parser's names are lowercase).
    public init(_ pairs: [(name: String, value: String)]) {
        for (name, value) in pairs {
            var name = name, value = value
            name.withUTF8 { name in
                value.withUTF8 { value in
                    _ = append(name: UnsafeRawBufferPointer(name), value: UnsafeRawBufferPointer(value), lowercasing: false)
                }
            }
        }
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Appends a field, the name lowercased unless told otherwise; false (nothing appended) for a name or value
    /// whose length does not fit the four-byte count, which no head within a sane limit has.
    @discardableResult
    mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, lowercasing: Bool = true) -> Bool {
        guard let nameCount = UInt32(exactly: name.count), let valueCount = UInt32(exactly: value.count) else { return false }
        // Three copies, the name lowercased in place after: a byte-at-a-time append cost a few hundred instructions a field.
        withUnsafeBytes(of: (nameCount.littleEndian, valueCount.littleEndian)) { bytes.append(contentsOf: $0) }
        let nameStart = bytes.count
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: value)
        if lowercasing {
            bytes.withUnsafeMutableBytes { all in
                for i in nameStart..<(nameStart + name.count) where all[i] >= 65 && all[i] <= 90 { all[i] |= 0x20 }
            }
        }
        count += 1
        return true
    }

    /// Calls `body` with each field's name and value bytes, in order; stops when it returns false.
    func forEach(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool) {
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset + 8 <= all.count {
                let nameCount = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                let valueCount = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
                let nameStart = offset + 8, valueStart = nameStart + nameCount
                offset = valueStart + valueCount
                guard body(UnsafeRawBufferPointer(rebasing: all[nameStart..<valueStart]),
                           UnsafeRawBufferPointer(rebasing: all[valueStart..<offset])) else { return }
            }
        }
    }

    /// The first value of `name` (compared byte for byte: the parser's names are lowercase), the only String made.
    public func first(_ name: String) -> String? {
        var name = name
        var found: String?
        name.withUTF8 { wanted in
            forEach { fieldName, value in
                guard fieldName.count == wanted.count, fieldName.elementsEqual(wanted) else { return true }
                found = String(decoding: value, as: UTF8.self)
                return false
            }
        }
        return found
    }

    /// Every field as text, in order, duplicates kept.
    public var pairs: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        out.reserveCapacity(count)
        forEach { name, value in
            out.append((name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
            return true
        }
        return out
    }
}
