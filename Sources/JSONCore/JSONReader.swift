import TextCoding

/// A strict RFC 8259 reader: bytes in, `JSONValue` out. No trailing commas, no comments, no leading zeros, no lone
/// surrogates, UTF-8 validated, nesting bounded (so hostile input cannot exhaust the stack).
public struct JSONReader {
    public static let defaultMaxDepth = 64

    /// What a key that appears twice in one object means. RFC 8259 leaves it open.
    public enum DuplicateKeys: Sendable {
        /// The first position, the last value (what most parsers do).
        case lastValueWins
        /// An error: where two readers could disagree on the value (a security header), there must be only one.
        case reject
    }

    private let bytes: [UInt8]
    private var index = 0
    private let maxDepth: Int
    private let duplicateKeys: DuplicateKeys

    private init(bytes: [UInt8], maxDepth: Int, duplicateKeys: DuplicateKeys) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.duplicateKeys = duplicateKeys
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth,
                             duplicateKeys: DuplicateKeys = .lastValueWins) throws(JSONError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth, duplicateKeys: duplicateKeys)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw JSONError(.trailingData, at: reader.index) }
        return value
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        return bytes[index]
    }

    private mutating func expect(_ literal: String, value: JSONValue) throws(JSONError) -> JSONValue {
        for expected in literal.utf8 {
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == expected else { throw JSONError(.unexpectedByte, at: index) }
            index += 1
        }
        return value
    }

    private mutating func readValue(depth: Int) throws(JSONError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw JSONError(.unexpectedByte, at: index)
        }
    }

    private mutating func readObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.tooDeep, at: index) }
        index += 1
        // Members are collected first and de-duplicated once (linear), not inserted one by one (quadratic).
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
        // Room for eight members at once (most objects in a campaign body): not grown 1, 2, 4, 8.
        members.reserveCapacity(8)
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte, at: index) }
            let key = try readString()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte, at: index) }
            index += 1
            skipWhitespace()
            members.append((key: key, value: try readValue(depth: depth)))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                var hadDuplicates = false
                let object = JSONObject(readMembers: members, hadDuplicates: &hadDuplicates)
                if duplicateKeys == .reject && hadDuplicates { throw JSONError(.duplicateKey, at: index - 1) }
                return .object(object)
            default: throw JSONError(.unexpectedByte, at: index)
            }
        }
    }

    private mutating func readArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.tooDeep, at: index) }
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { index += 1; return .array(array) }
        while true {
            skipWhitespace()
            array.append(try readValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(array)
            default: throw JSONError(.unexpectedByte, at: index)
            }
        }
    }

    private mutating func readNumber() throws(JSONError) -> JSONValue {
        let start = index
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            // "01" is a leading zero, not "0" followed by trailing data: say so.
            if index < bytes.count, isDigit(bytes[index]) { throw JSONError(.invalidNumber, at: index) }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return .number(Self.asciiString(bytes, start..<index))
    }

    private mutating func readString() throws(JSONError) -> String {
        index += 1  // opening quote
        var runStart = index
        var scratch: [UInt8]? = nil  // only allocated when the string has escapes
        var highBits: UInt8 = 0  // any byte >= 0x80 seen: only then is there UTF-8 to validate
        while true {
            // The run of plain bytes up to a quote, a backslash or a control byte, scanned on the buffer (no bounds
            // check or access to `self` per byte).
            let from = index
            let scanned = bytes.withUnsafeBufferPointer { buffer -> (end: Int, highBits: UInt8) in
                var high: UInt8 = 0
                let end = ByteScan.jsonStringRunEnd(buffer, from: from, high: &high)
                return (end, high)
            }
            index = scanned.end
            highBits |= scanned.highBits
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let result: String?
                if var s = scratch {
                    s.append(contentsOf: bytes[runStart..<index])
                    result = highBits < 0x80 ? String(decoding: s, as: UTF8.self) : Self.validatedUTF8(s[...])
                } else if highBits < 0x80 {
                    result = Self.asciiString(bytes, runStart..<index)
                } else {
                    result = Self.validatedUTF8(bytes[runStart..<index])
                }
                guard let result else { throw JSONError(.invalidUTF8, at: runStart) }
                index += 1
                return result
            }
            highBits |= b
            if b < 0x20 { throw JSONError(.controlCharacterInString, at: index) }
            if b == UInt8(ascii: "\\") {
                if scratch == nil { scratch = [] }
                scratch?.append(contentsOf: bytes[runStart..<index])
                index += 1
                let decoded = try readEscape()
                scratch?.append(contentsOf: decoded)
                runStart = index
                continue
            }
            index += 1
        }
    }

    /// The text of `range` of `bytes`, which holds only ASCII (so is valid UTF-8): copied once into the string's
    /// storage. A string of up to 15 bytes is made in place without a validation pass, which `String(decoding:)`
    /// (generic over the slice) runs on every string; a longer one is checked by the standard library's own scan.
    @inline(__always)
    static func asciiString(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { source in
            let run = UnsafeBufferPointer(rebasing: source[range])
            return String(unsafeUninitializedCapacity: run.count) { target in
                target.initialize(fromContentsOf: run)
            }
        }
    }

    /// The text of `utf8`, or nil when it is not valid UTF-8. Decoding repairs an invalid sequence with U+FFFD
    /// (EF BF BD), which is itself valid and so can never equal the invalid bytes it replaced: the bytes come back
    /// unchanged exactly when they were valid. Both steps run on contiguous memory without generic dispatch.
    static func validatedUTF8(_ utf8: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: utf8, as: UTF8.self)
        var copy = text
        let unchanged = copy.withUTF8 { decoded in
            utf8.withUnsafeBufferPointer { original in decoded.elementsEqual(original) }
        }
        return unchanged ? text : nil
    }

    private mutating func readEscape() throws(JSONError) -> [UInt8] {
        guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
        let c = bytes[index]
        index += 1
        switch c {
        case UInt8(ascii: "\""): return [0x22]
        case UInt8(ascii: "\\"): return [0x5C]
        case UInt8(ascii: "/"): return [0x2F]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONError(.invalidEscape, at: index)
                }
                index += 2
                let low = try readHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONError(.invalidEscape, at: index) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw JSONError(.invalidEscape, at: index)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw JSONError(.invalidEscape, at: index) }
            return Array(String(Character(unicode)).utf8)
        default:
            throw JSONError(.invalidEscape, at: index - 1)
        }
    }

    private mutating func readHex4() throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            // Digit by digit, so `"\u12"` is a bad escape (at the quote), not a premature end of input.
            guard index < bytes.count else { throw JSONError(.unexpectedEnd, at: index) }
            guard let digit = HexDigit.value(bytes[index]) else { throw JSONError(.invalidEscape, at: index) }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
