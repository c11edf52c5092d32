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
        var tags: [(tag: String, weak: Bool)] = []
        for item in joined.split(separator: ",", omittingEmptySubsequences: true) {
            var text = Substring(item.trimmingOWS())
            if text.isEmpty { continue }
            var weak = false
            if text.hasPrefix("W/") { weak = true; text = text.dropFirst(2) }
            // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text
            guard text.count >= 2, text.first == "\"", text.last == "\"",
                  text.utf8.dropFirst().dropLast().allSatisfy({ $0 == 0x21 || ($0 >= 0x23 && $0 != 0x7F) }) else {
                return .malformed
            }
            tags.append((String(text), weak))
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
