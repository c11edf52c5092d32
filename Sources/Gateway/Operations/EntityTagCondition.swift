import HTTPServer

/// An `If-Match` or `If-None-Match` header (RFC 9110 13.1.1, 13.1.2): `*` or a comma list of entity tags.
///
/// `If-Match` compares strongly, so a weak tag (`W/"..."`) never matches; `If-None-Match` compares weakly. A header
/// that does not parse is a 400, never ignored: an app that sent a precondition means it.
enum EntityTagCondition: Equatable {
    case any
    /// Opaque tags with their quotes, and whether each was weak.
    case tags([(tag: String, weak: Bool)])

    static func == (lhs: EntityTagCondition, rhs: EntityTagCondition) -> Bool {
        switch (lhs, rhs) {
        case (.any, .any): return true
        case (.tags(let a), .tags(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.tag == $1.tag && $0.weak == $1.weak }
        default: return false
        }
    }

    /// Nil when the header is absent; `.failure` when present but malformed (or repeated fields that do not parse).
    static func parse(_ headers: HTTPHeaders, name: String) -> Result<EntityTagCondition, Problem>? {
        let values = headers.values(for: name)
        guard !values.isEmpty else { return nil }
        let joined = values.joined(separator: ",")
        if joined.trimmingCharacters(in: [" ", "\t"]) == "*" { return .success(.any) }
        var tags: [(tag: String, weak: Bool)] = []
        for item in joined.split(separator: ",", omittingEmptySubsequences: true) {
            var text = Substring(item.trimmingCharacters(in: [" ", "\t"]))
            if text.isEmpty { continue }
            var weak = false
            if text.hasPrefix("W/") { weak = true; text = text.dropFirst(2) }
            // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text
            guard text.count >= 2, text.first == "\"", text.last == "\"",
                  text.utf8.dropFirst().dropLast().allSatisfy({ $0 == 0x21 || ($0 >= 0x23 && $0 != 0x7F) }) else {
                return .failure(Problem(.invalidPrecondition, "\(name) must be * or a list of quoted entity tags such as \"abc\""))
            }
            tags.append((String(text), weak))
        }
        guard !tags.isEmpty else {
            return .failure(Problem(.invalidPrecondition, "\(name) must be * or a list of quoted entity tags such as \"abc\""))
        }
        return .success(.tags(tags))
    }

    /// `If-Match` semantics: `*` matches any current campaign; a tag only by strong comparison.
    func matchesStrongly(_ current: String) -> Bool {
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { !$0.weak && $0.tag == current }
        }
    }

    /// `If-None-Match` semantics: weak comparison (the `W/` prefix ignored).
    func matchesWeakly(_ current: String) -> Bool {
        switch self {
        case .any: return true
        case .tags(let tags): return tags.contains { $0.tag == current }
        }
    }
}
