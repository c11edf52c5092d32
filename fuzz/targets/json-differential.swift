import Foundation
import JSONCore

// Target `json-differential`: `JSONReader.parse` against Foundation's `JSONSerialization` on the same bytes.
//
// Oracles:
// - on valid UTF-8 input the two must agree on accept/reject, and on the value when both accept (numbers compared
//   as Doubles, strings scalar by scalar, objects with JSONCore's duplicate rule: last value wins);
// - whatever JSONCore accepts, its writer writes back (compact and pretty) to the same value, and Foundation reads
//   the written bytes to the same value.
//
// Disagreements that are documented choices, and therefore not reported (each is recognised precisely, so nothing
// else hides behind it):
// - nesting deeper than JSONReader.defaultMaxDepth (64): JSONCore rejects with `tooDeep`;
// - lone UTF-16 surrogate escapes: JSONCore rejects them (`invalidEscape`);
// - Foundation's leniencies, where JSONCore follows RFC 8259: a trailing comma before `]` or `}`, a UTF-8 byte order
//   mark, and input with NUL bytes (which Foundation takes for UTF-16/32);
// - numbers beyond Double's range: Foundation rejects them ("not representable"), JSONCore keeps the literal;
// - a raw U+FEFF at the start of a string or key, or right after an escape: Foundation drops it, so values holding
//   U+FEFF are compared for accept/reject only (`foundationComparable`).

/// `\uD800`...`\uDFFF` anywhere in the input (a byte-level test, good enough to recognise the documented case).
func hasSurrogateEscape(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 6 else { return false }
    for i in 0..<(bytes.count - 5) where bytes[i] == UInt8(ascii: "\\") && bytes[i + 1] == UInt8(ascii: "u")
        && (bytes[i + 2] | 0x20) == UInt8(ascii: "d") {
        switch bytes[i + 3] | 0x20 {
        case UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b"),
             UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "f"):
            return true
        default: continue
        }
    }
    return false
}

/// JSONCore stopped at a `]` or `}` whose previous non-whitespace byte is a comma.
func isTrailingComma(_ bytes: [UInt8], at offset: Int) -> Bool {
    guard offset < bytes.count, bytes[offset] == UInt8(ascii: "]") || bytes[offset] == UInt8(ascii: "}") else { return false }
    var i = offset - 1
    while i >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i -= 1 }
    return i >= 0 && bytes[i] == UInt8(ascii: ",")
}

func foundationRead(_ bytes: [UInt8]) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let ours: Result<JSONValue, JSONError>
    do { ours = .success(try JSONReader.parse(bytes)) } catch { ours = .failure(error) }

    if case .success(let value) = ours {
        for pretty in [false, true] {
            let written = JSONWriter.write(value, pretty: pretty)
            let reread = try? JSONReader.parse(written)
            Fuzz.check(reread == value, "writer output (pretty \(pretty)) does not read back: \(String(decoding: written, as: UTF8.self))")
            if foundationComparable(value) {
                let theirs = foundationRead(written)
                Fuzz.check(theirs.map { matches(value, $0) } ?? false,
                           "Foundation reads our writer's output differently: \(String(decoding: written, as: UTF8.self))")
            }
        }
    }

    // The accept/reject comparison is about valid UTF-8 text.
    guard String(validating: bytes, as: UTF8.self) != nil else {
        if case .success = ours { Fuzz.fail("JSONCore accepted invalid UTF-8") }
        return 0
    }
    if bytes.contains(0) || bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
        if case .success = ours { Fuzz.fail("JSONCore accepted a NUL byte or a byte order mark") }
        return 0
    }
    let theirs = foundationRead(bytes)
    switch (ours, theirs) {
    case (.success(let value), .some(let object)):
        if foundationComparable(value) {
            Fuzz.check(matches(value, object), "values differ: ours \(value), Foundation \(object)")
        }
    case (.success(let value), .none):
        Fuzz.check(hasInfiniteNumber(value), "JSONCore accepts what Foundation rejects: \(value)")
    case (.failure(let error), .some(let object)):
        switch error.reason {
        case .tooDeep: break
        case .invalidEscape where hasSurrogateEscape(bytes): break
        case .unexpectedByte where isTrailingComma(bytes, at: error.offset): break
        default: Fuzz.fail("JSONCore rejects (\(error)) what Foundation accepts: \(object)")
        }
    case (.failure, .none):
        break
    }
    return 0
}
