import HTTPCore

/// An answer's header fields as the parser read them, in one byte buffer: per field, the name's and the value's byte
/// counts (four bytes each) then the lowercase name and the trimmed value. A `String` is made only for a field
/// someone asks for: most of an upstream's fields (`date`, `server`, the framing) are never read as text, and a
/// String per name and value was most of the answer parser's cost. Order and duplicates are kept.
public struct HTTPResponseFields: Sendable {
    /// Initialized storage, of which the first `used` bytes hold fields: a field is copied in with one check for room
    /// and three `memcpy`s (three `Array.append(contentsOf:)` cost about 480 instructions a field).
    private var bytes: [UInt8]
    private var used = 0
    public private(set) var count = 0

    /// Room for a usual answer's fields, so they are not copied as the buffer grows.
    public init() { bytes = [UInt8](repeating: 0, count: 256) }

    /// Fields given as text, kept as given (the parser's names are lowercase).
    public init(_ pairs: [(name: String, value: String)]) {
        bytes = []
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
        used = 0
        count = 0
    }

    /// Appends a field, the name lowercased unless told otherwise; false (nothing appended) for a name or value
    /// whose length does not fit the four-byte count, which no head within a sane limit has.
    @discardableResult
    mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, lowercasing: Bool = true) -> Bool {
        guard let nameCount = UInt32(exactly: name.count), let valueCount = UInt32(exactly: value.count) else { return false }
        // At most 2 * (2^32 - 1) + 8 bytes past `used`: no overflow on a 64-bit Int.
        let needed = used + 8 + name.count + value.count
        if needed > bytes.count {
            // Grown by doubling (zeros: the storage stays initialized); `used` bytes are kept.
            bytes.append(contentsOf: repeatElement(0, count: max(needed, 2 * bytes.count) - bytes.count))
        }
        let nameStart = used + 8
        bytes.withUnsafeMutableBytes { all in
            all.storeBytes(of: nameCount.littleEndian, toByteOffset: used, as: UInt32.self)
            all.storeBytes(of: valueCount.littleEndian, toByteOffset: used + 4, as: UInt32.self)
            // `needed` <= all.count: both copies are in bounds.
            UnsafeMutableRawBufferPointer(rebasing: all[nameStart..<(nameStart + name.count)]).copyMemory(from: name)
            UnsafeMutableRawBufferPointer(rebasing: all[(nameStart + name.count)..<needed]).copyMemory(from: value)
            if lowercasing {
                for i in nameStart..<(nameStart + name.count) where all[i] >= 65 && all[i] <= 90 { all[i] |= 0x20 }
            }
        }
        used = needed
        count += 1
        return true
    }

    /// Calls `body` with each field's name and value bytes, in order; stops when it returns false.
    func forEach(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Bool) {
        bytes.withUnsafeBytes { stored in
            let all = UnsafeRawBufferPointer(rebasing: stored[0..<used])
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
