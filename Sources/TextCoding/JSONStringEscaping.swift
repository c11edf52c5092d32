/// A JSON string literal (RFC 8259 section 7): quotes, backslashes and control characters escaped, `/` and
/// non-ASCII left as they are. The one escaper for every JSON the project writes, including the transport's own
/// log line, which sits below the JSON library.
public enum JSONStringEscaping {
    public static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in append(utf8: bytes, to: &out) }
    }

    /// The same literal from UTF-8 bytes that are already text (the byte-to-byte normalizer copies strings this
    /// way without making a `String`): one escaper, so both routes write the same bytes.
    public static func append(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendContent(utf8: bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The literal's content without its quotes, for text written in several pieces ("Campaign <name> deleted").
    public static func appendContent(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Runs that need no escaping (nearly all of every string) are copied in one go, not byte by byte.
        var runStart = 0
        var i = 0
        while true {
            // Eight bytes at a time to the next byte that needs escaping.
            i = ByteScan.jsonEscapeIndex(bytes, from: i)
            guard i < bytes.count else { break }
            let byte = bytes[i]
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30,
                                        HexDigit.lowercase[Int(byte >> 4)], HexDigit.lowercase[Int(byte & 0xF)]])
            }
            runStart = i + 1
            i += 1
        }
        if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    /// The most bytes `append` can write for `text`, quotes included (every byte escaped as `\u00XX`).
    @inlinable
    public static func maxLiteralCount(_ text: String) -> Int { maxLiteralCount(utf8Count: text.utf8.count) }

    /// The most bytes the literal of `utf8Count` bytes of text can take, quotes included.
    @inlinable
    public static func maxLiteralCount(utf8Count: Int) -> Int { utf8Count * 6 + 2 }

    /// The literal written into `out` at `index` (which advances past it); `out` must have room for
    /// `maxLiteralCount(text)` bytes from `index`. For writers that size their buffer once (the request log line).
    public static func write(_ text: String, into out: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        var text = text
        text.withUTF8 { bytes in write(utf8: bytes, into: out, at: &index) }
    }

    /// The literal of UTF-8 text written into `out` at `index` (which advances past it); `out` must have room for
    /// `maxLiteralCount(utf8Count: bytes.count)` bytes from `index` (checked).
    public static func write(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>,
                             at index: inout Int) {
        precondition(index >= 0 && out.count - index >= maxLiteralCount(utf8Count: bytes.count),
                     "JSONStringEscaping.write: no room for the literal")
        out[index] = UInt8(ascii: "\"")
        index += 1
        writeContent(utf8: bytes, into: out, at: &index)
        out[index] = UInt8(ascii: "\"")
        index += 1
    }

    /// The literal's content without its quotes written into `out` at `index` (which advances past it); `out` must
    /// have room for `maxLiteralCount(utf8Count: bytes.count) - 2` bytes from `index` (checked). For text written in
    /// several pieces into a buffer sized once (the dry run's URL, origin then path).
    @inline(__always)
    public static func writeContent(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>,
                                    at index: inout Int) {
        precondition(index >= 0 && out.count - index >= bytes.count * 6,
                     "JSONStringEscaping.writeContent: no room for the content")
        var o = index
        do {
            var runStart = 0
            var i = 0
            while true {
                i = ByteScan.jsonEscapeIndex(bytes, from: i)
                let runEnd = min(i, bytes.count)
                if runStart < runEnd, let source = bytes.baseAddress, let target = out.baseAddress {
                    (target + o).update(from: source + runStart, count: runEnd - runStart)
                    o += runEnd - runStart
                }
                guard i < bytes.count else { break }
                let byte = bytes[i]
                out[o] = 0x5C
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[o + 1] = byte; o += 2
                case 0x0A: out[o + 1] = UInt8(ascii: "n"); o += 2
                case 0x0D: out[o + 1] = UInt8(ascii: "r"); o += 2
                case 0x09: out[o + 1] = UInt8(ascii: "t"); o += 2
                default:
                    out[o + 1] = UInt8(ascii: "u"); out[o + 2] = 0x30; out[o + 3] = 0x30
                    out[o + 4] = HexDigit.lowercase[Int(byte >> 4)]; out[o + 5] = HexDigit.lowercase[Int(byte & 0xF)]
                    o += 6
                }
                runStart = i + 1
                i += 1
            }
        }
        index = o
    }

    /// The literal as text, quotes included.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
