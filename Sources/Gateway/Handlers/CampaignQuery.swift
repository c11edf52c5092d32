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
        var query = CampaignQuery()
        guard let raw, !raw.isEmpty else { return .success(query) }
        var seenDryRun = false
        // Split on the UTF-8 bytes: `&` and `=` are ASCII, and a Character-wise split costs several times more.
        for pair in raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = parts.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let rawValue = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
            guard let name = PercentDecoding.decode(rawName, plusAsSpace: true),
                  let value = PercentDecoding.decode(rawValue, plusAsSpace: true) else {
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
}
