import Foundation
import JSONCore

// JSON helpers shared by the json-* and kore-* targets (compiled into each by scripts/fuzz).

/// The depth the targets read the gateway's output with. A normalized answer nests what it did not understand a few
/// levels below where Kore.ai had it (`campaigns[i].extensions.<key>`), so an answer the reader just accepted at its
/// default depth can come out deeper than that default: the output is read with room for those levels.
let outputMaxDepth = JSONReader.defaultMaxDepth + 8

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
        // Foundation reads integers too long for 64 bits as NSDecimalNumber, whose doubleValue is off by several
        // ulps for large exponents (8888888880e84 gives 8.888888880000009e+93), hence the looser bound there.
        let tolerance = theirs is NSDecimalNumber ? 1e-12 : 1e-15
        return actual == expected || abs(actual - expected) <= abs(expected) * tolerance
    case .string(let text):
        guard let other = theirs as? String else { return false }
        return sameScalars(text, other)
    case .array(let items):
        guard let others = theirs as? [Any], others.count == items.count else { return false }
        return zip(items, others).allSatisfy { matches($0, $1) }
    case .object(let object):
        guard let others = theirs as? [String: Any], others.count == object.count else { return false }
        return object.allSatisfy { entry in
            others[entry.key].map { matches(entry.value, $0) } ?? false
        }
    }
}

/// Scalar by scalar (Swift's String == would equate canonically equivalent spellings).
func sameScalars(_ ours: String, _ theirs: String) -> Bool {
    Array(ours.unicodeScalars) == Array(theirs.unicodeScalars)
}

/// Whether Foundation can be expected to read `value`'s written form back to the same value. It cannot when
/// - a number is beyond Double's range: Foundation refuses it ("not representable"), JSONCore keeps the literal;
/// - a string or key holds U+FEFF: Foundation drops a raw U+FEFF at the start of a string and right after an escape
///   sequence (it decodes each unescaped run like a document and takes the character for a byte order mark; an
///   escaped `\ufeff` survives), which changes strings and can merge keys. A Foundation defect.
func foundationComparable(_ value: JSONValue) -> Bool {
    func clean(_ s: String) -> Bool { !s.unicodeScalars.contains("\u{FEFF}") }
    switch value {
    case .number(let literal): return Double(literal)?.isFinite ?? false
    case .string(let s): return clean(s)
    case .array(let items): return items.allSatisfy(foundationComparable)
    case .object(let object): return object.allSatisfy { clean($0.key) && foundationComparable($0.value) }
    case .null, .bool: return true
    }
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
