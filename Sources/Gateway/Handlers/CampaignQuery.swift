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
            guard let name = Part(bytes, start..<equals), let value = Part(bytes, min(equals + 1, end)..<end) else {
                return .failure(Problem(.invalidQuery, "the query is not valid percent-encoded UTF-8"))
            }
            guard name.is("dryRun") else {
                if allowsList {
                    query.listParameters.append((name.text, value.text))
                    continue
                }
                return .failure(Problem(.invalidQuery, "unknown query parameter; the only one is dryRun=true|false"))
            }
            guard !seenDryRun else {
                return .failure(Problem(.invalidQuery, "dryRun is given more than once"))
            }
            seenDryRun = true
            // Exactly the spec's boolean spellings: a bare `?dryRun` or `=1` is refused rather than guessed.
            if value.is("true") {
                query.dryRun = true
            } else if value.is("false") {
                query.dryRun = false
            } else {
                return .failure(Problem(.invalidQuery, "dryRun must be true or false"))
            }
        }
        return .success(query)
    }

    /// One name or value of the query: its bytes as they are when they hold no `%` or `+` (nearly always), else
    /// its decoded text. A String is made only of a part that is kept (a list parameter): `dryRun=true` is read
    /// on its bytes.
    private enum Part {
        /// Bytes of the query, which came from a String, so they are UTF-8 already and are the text.
        case plain(UnsafeBufferPointer<UInt8>)
        case decoded(String)

        /// The part at `range` of `bytes`, percent-decoded (`+` as a space) when it holds `%` or `+`; nil when that
        /// does not decode to UTF-8.
        init?(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            let part = UnsafeBufferPointer(rebasing: bytes[range])
            guard part.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
                self = .plain(part)
                return
            }
            guard let text = PercentDecoding.decode(part, plusAsSpace: true).flatMap({ String(validating: $0, as: UTF8.self) }) else {
                return nil
            }
            self = .decoded(text)
        }

        /// Whether the part is `literal`, an ASCII word. On plain bytes, byte equality is String equality here: no
        /// other UTF-8 text is canonically equivalent to these ASCII words (the few one-character canonical
        /// equivalents of ASCII, such as the Kelvin sign for `K`, are of none of their letters).
        func `is`(_ literal: StaticString) -> Bool {
            switch self {
            case .plain(let bytes):
                guard bytes.count == literal.utf8CodeUnitCount else { return false }
                let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
                return bytes.elementsEqual(expected)
            case .decoded(let text):
                return text == literal.description
            }
        }

        var text: String {
            switch self {
            case .plain(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .decoded(let text): return text
            }
        }
    }
}
