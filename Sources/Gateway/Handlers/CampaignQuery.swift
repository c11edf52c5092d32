import HTTPServer
import TextCoding

/// The query of a campaign route. Strict on purpose: `?dryrun=true` or `?dryRun=%FF` must never fall through to a
/// real DELETE, so an unknown parameter, a repeated one, or a value that does not decode is a 400.
struct CampaignQuery: Sendable {
    var dryRun = false
    /// The list parameters, decoded, in order (checked by `CampaignListQuery.parse`); empty unless the route lists.
    var listParameters: [(name: String, value: String)] = []

    /// `allowsList`: whether parameters other than `dryRun` are handed on (list routes) or refused.
    static func parse(_ raw: String?, allowsList: Bool = false) -> Result<CampaignQuery, Problem> {
        guard var raw, !raw.isEmpty else { return .success(CampaignQuery()) }
        // Read in place on the UTF-8 bytes: `&` and `=` are ASCII; no array of pairs and, for a part without `%`
        // or `+` (nearly every one), no decoding pass.
        return raw.withUTF8 { parse($0, allowsList: allowsList) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, allowsList: Bool) -> Result<CampaignQuery, Problem> {
        var query = CampaignQuery()
        var seenDryRun = false
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "&") { end += 1 }
            defer { start = end + 1 }
            if end == start { continue }  // empty pairs are skipped
            var equals = start
            while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            guard let name = decoded(bytes, start..<equals),
                  let value = decoded(bytes, min(equals + 1, end)..<end) else {
                return .failure(Problem(.invalidQuery, "the query is not valid percent-encoded UTF-8"))
            }
            guard name == "dryRun" else {
                if allowsList {
                    query.listParameters.append((name, value))
                    continue
                }
                return .failure(Problem(.invalidQuery, "unknown query parameter; the only one is dryRun=true|false"))
            }
            guard !seenDryRun else {
                return .failure(Problem(.invalidQuery, "dryRun is given more than once"))
            }
            seenDryRun = true
            // Exactly the spec's boolean spellings: a bare `?dryRun` or `=1` is refused rather than guessed.
            switch value {
            case "true": query.dryRun = true
            case "false": query.dryRun = false
            default: return .failure(Problem(.invalidQuery, "dryRun must be true or false"))
            }
        }
        return .success(query)
    }

    /// The part percent-decoded (`+` as a space), or nil when it does not decode to UTF-8. Without `%` or `+` the
    /// bytes are the text (they came from a String, so they are UTF-8 already).
    private static func decoded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String? {
        let part = UnsafeBufferPointer(rebasing: bytes[range])
        guard part.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: part, as: UTF8.self)
        }
        return PercentDecoding.decode(part, plusAsSpace: true).flatMap { String(validating: $0, as: UTF8.self) }
    }
}
