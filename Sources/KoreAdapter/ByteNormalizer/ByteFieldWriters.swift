/// The typed takes of `UpstreamFieldCursor`, writing the normalized value straight into the answer: each writes
/// `null` when the member is absent or null, and keeps a value it cannot read.
extension ByteNormalizerState {
    /// A string member as is; returns the string when there was one.
    @discardableResult
    mutating func writeString(_ cursor: inout ByteFieldCursor, _ key: KnownKey) -> ScannedValue? {
        guard let value = stringMember(&cursor, key) else { write("null"); return nil }
        writeString(value)
        return value
    }

    /// A string member's value (nil for absent or null; any other kind is kept).
    mutating func stringMember(_ cursor: inout ByteFieldCursor, _ key: KnownKey) -> ScannedValue? {
        guard let value = take(&cursor, key) else { return nil }
        switch value.kind {
        case .null: return nil
        case .string: return value
        default: keep(cursor, key, value); return nil
        }
    }

    /// A string member lowercased (Kore.ai's enums). Only plain ASCII spellings are lowercased here: the tree uses
    /// Unicode's full lowercasing, which differs for other text.
    @discardableResult
    mutating func writeLowercased(_ cursor: inout ByteFieldCursor, _ key: KnownKey) throws(Unhandled) -> ScannedValue? {
        guard let value = stringMember(&cursor, key) else { write("null"); return nil }
        guard !value.escaped, !value.nonASCII else { throw Unhandled() }
        out.append(UInt8(ascii: "\""))
        for i in value.content {
            let b = bytes[i]
            guard b != 0x7F else { throw Unhandled() }  // would need escaping; not worth a path of its own
            out.append(b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b)
        }
        out.append(UInt8(ascii: "\""))
        return value
    }

    /// Whether a string value lowercased is exactly `word` (a lowercase ASCII word).
    func lowercasedIs(_ value: ScannedValue?, _ word: StaticString) -> Bool {
        guard let value, value.kind == .string, !value.escaped, !value.nonASCII, value.content.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            var j = 0
            for i in value.content {
                let b = bytes[i]
                if (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b) != expected[j] { return false }
                j += 1
            }
            return true
        }
    }

    /// An integer sent as a JSON integer (its literal kept) or as a decimal string, spaces around it allowed (written
    /// as `Int` prints it).
    mutating func writeInteger(_ cursor: inout ByteFieldCursor, _ key: KnownKey) throws(Unhandled) {
        guard let value = take(&cursor, key), !value.isNull else { write("null"); return }
        switch value.kind {
        case .number where integerLiteralFits(value.start..<value.end):
            out.append(contentsOf: bytes[value.start..<value.end])
        case .string:
            guard !value.escaped else { throw Unhandled() }
            if let number = Self.decimal(bytes, trimmingSpaces: value.content) {
                out.append(decimal: number)
            } else {
                keep(cursor, key, value)
                write("null")
            }
        default:
            keep(cursor, key, value)
            write("null")
        }
    }

    /// Whether a JSON number literal is one `Int(_:)` accepts: no fraction or exponent, within `Int`'s range (a
    /// literal has no spaces to trim).
    func integerLiteralFits(_ range: Range<Int>) -> Bool {
        Self.decimal(bytes, trimmingSpaces: range) != nil
    }

    /// `Int(text.trimmingSpaces())` on bytes: ASCII spaces trimmed at both ends, an optional sign, at least one digit,
    /// nothing else, and within `Int`'s range (overflow checked).
    static func decimal(_ bytes: [UInt8], trimmingSpaces range: Range<Int>) -> Int? {
        var start = range.lowerBound, end = range.upperBound
        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        guard start < end else { return nil }
        var negative = false
        if bytes[start] == UInt8(ascii: "-") || bytes[start] == UInt8(ascii: "+") {
            negative = bytes[start] == UInt8(ascii: "-")
            start += 1
        }
        guard start < end else { return nil }
        var value = 0
        for i in start..<end {
            let b = bytes[i]
            guard UpstreamJSONScanner.isDigit(b) else { return nil }
            let digit = Int(b - UInt8(ascii: "0"))
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next
        }
        return value
    }

    mutating func writeBool(_ cursor: inout ByteFieldCursor, _ key: KnownKey) {
        guard let value = take(&cursor, key) else { write("null"); return }
        switch value.kind {
        case .null: write("null")
        case .true: write("true")
        case .false: write("false")
        default: keep(cursor, key, value); write("null")
        }
    }

    /// An array of strings; any other element makes the whole member unreadable.
    mutating func writeStringArray(_ cursor: inout ByteFieldCursor, _ key: KnownKey) throws(Unhandled) {
        guard let value = take(&cursor, key), !value.isNull else { write("null"); return }
        guard value.kind == .array else { keep(cursor, key, value); write("null"); return }
        var next = value.tapeIndex + 1
        while next < value.tapeNext {
            guard let item = scan.element(at: next, of: value) else { throw Unhandled() }
            guard item.kind == .string else { keep(cursor, key, value); write("null"); return }
            next = item.tapeNext
        }
        out.append(UInt8(ascii: "["))
        next = value.tapeIndex + 1
        while next < value.tapeNext {
            guard let item = scan.element(at: next, of: value) else { throw Unhandled() }
            if next > value.tapeIndex + 1 { out.append(UInt8(ascii: ",")) }
            writeString(item)
            next = item.tapeNext
        }
        out.append(UInt8(ascii: "]"))
    }
}
