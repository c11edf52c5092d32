import Foundation
import JSONCore

// JSON helpers shared by the json-* and kore-* targets (compiled into each by scripts/fuzz).

/// Structural comparison of a JSONCore value with what JSONSerialization produced.
func matches(_ ours: JSONValue, _ theirs: Any) -> Bool {
    switch ours {
    case .null:
        return theirs is NSNull
    case .bool(let flag):
        guard let number = theirs as? NSNumber else { return false }
        return number.boolValue == flag && (theirs as? Bool) == flag
    case .number(let literal):
        guard let expected = Double(literal), let number = theirs as? NSNumber else { return false }
        let actual = number.doubleValue
        return actual == expected || abs(actual - expected) <= abs(expected) * 1e-15
    case .string(let text):
        guard let other = theirs as? String else { return false }
        return sameScalars(text, other)
    case .array(let items):
        guard let others = theirs as? [Any], others.count == items.count else { return false }
        return zip(items, others).allSatisfy { matches($0, $1) }
    case .object(let object):
        guard let others = theirs as? [String: Any], others.count == object.count else { return false }
        return object.allSatisfy { entry in
            var other = others[entry.key]
            if other == nil, entry.key.unicodeScalars.contains("\u{FEFF}") {
                other = others.first { sameScalars(entry.key, $0.key) }?.value
            }
            return other.map { matches(entry.value, $0) } ?? false
        }
    }
}

/// Scalar by scalar (Swift's String == would equate canonically equivalent spellings). Foundation drops a raw U+FEFF
/// at the start of a string and right after an escape sequence (it decodes each unescaped run of a string like a
/// document and takes the character for a byte order mark; an escaped `\ufeff` survives): a Foundation defect,
/// tolerated here (only when our string holds a U+FEFF) and nowhere else.
func sameScalars(_ ours: String, _ theirs: String) -> Bool {
    let a = Array(ours.unicodeScalars), b = Array(theirs.unicodeScalars)
    if a == b { return true }
    guard a.contains("\u{FEFF}") else { return false }
    return a.filter { $0 != "\u{FEFF}" } == b.filter { $0 != "\u{FEFF}" }
}

/// Whether any number literal in `value` is outside Double's finite range.
func hasInfiniteNumber(_ value: JSONValue) -> Bool {
    switch value {
    case .number(let literal): return !(Double(literal)?.isFinite ?? false)
    case .array(let items): return items.contains(where: hasInfiniteNumber)
    case .object(let object): return object.contains { hasInfiniteNumber($0.value) }
    default: return false
    }
}
