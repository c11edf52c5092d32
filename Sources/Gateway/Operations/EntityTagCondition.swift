import HTTPServer
import TextCoding

/// An `If-Match` or `If-None-Match` header (RFC 9110 13.1.1, 13.1.2): `*` or a comma list of entity tags.
///
/// `If-Match` compares strongly, so a weak tag (`W/"..."`) never matches; `If-None-Match` compares weakly. A header
/// that does not parse is never ignored for `If-Match` (an app that sent a precondition means it): the endpoint
/// refuses it with 400 (`invalid_precondition`) before any call, saying the tag is malformed rather than that the
/// campaign changed. A malformed `If-None-Match` matches nothing, which for a read simply means a full answer. An
/// empty header is a 400 (`invalid_precondition`).
enum EntityTagCondition: Equatable {
    case any
    /// Opaque tags with their quotes, and whether each was weak.
    case tags([(tag: String, weak: Bool)])
    /// A value that is neither `*` nor a list of entity tags.
    case malformed

    static func == (lhs: EntityTagCondition, rhs: EntityTagCondition) -> Bool {
        switch (lhs, rhs) {
        case (.any, .any): return true
        case (.tags(let a), .tags(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.tag == $1.tag && $0.weak == $1.weak }
        case (.malformed, .malformed): return true
        default: return false
        }
    }

    /// Nil when the header is absent; a 400 when it is present but empty (a precondition with nothing in it).
    static func parse(_ headers: HTTPHeaders, name: String) -> Result<EntityTagCondition, Problem>? {
        let values = headers.values(for: name)
        guard !values.isEmpty else { return nil }
        let joined = values.joined(separator: ",")
        guard !joined.trimmingOWS().isEmpty else {
            return .failure(Problem(.invalidPrecondition, "\(name) is empty; send * or the quoted ETag of a GET"))
        }
        return .success(condition(joined))
    }

    static func condition(_ joined: String) -> EntityTagCondition {
        if joined.trimmingOWS() == "*" { return .any }
        // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text. A comma is an etagc, so
        // the list is read tag by tag (#rule: elements separated by OWS "," OWS, empty elements skipped) rather
        // than split on every comma.
        let bytes = Array(joined.utf8)
        var tags: [(tag: String, weak: Bool)] = []
        var i = 0
        func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        while true {
            skipSpaces()
            guard i < bytes.count else { break }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            var weak = false
            if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "W"), bytes[i + 1] == UInt8(ascii: "/") { weak = true; i += 2 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return .malformed }
            let start = i
            i += 1
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                guard bytes[i] == 0x21 || (bytes[i] >= 0x23 && bytes[i] != 0x7F) else { return .malformed }
                i += 1
            }
            guard i < bytes.count else { return .malformed }  // no closing quote
            i += 1
            tags.append((String(decoding: bytes[start..<i], as: UTF8.self), weak))
            skipSpaces()
            guard i == bytes.count || bytes[i] == UInt8(ascii: ",") else { return .malformed }
        }
        return tags.isEmpty ? .malformed : .tags(tags)
    }

    /// `If-Match` semantics: `*` matches any current campaign; a tag only by strong comparison.
    func matchesStrongly(_ current: String) -> Bool {
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { !$0.weak && $0.tag == current }
        case .malformed: return false
        }
    }

    /// `If-None-Match` semantics: weak comparison (the `W/` prefix ignored).
    func matchesWeakly(_ current: String) -> Bool {
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.tag == current }
        case .malformed: return false
        }
    }
}
