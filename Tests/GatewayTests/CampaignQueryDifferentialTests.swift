@testable import Gateway
import Testing
import TestSupport
import TextCoding

/// `CampaignQuery.parse` reads `dryRun=true` on the query's bytes and makes Strings only of the parts it keeps; it
/// must answer exactly as the reading that decoded every part to a String first (kept here as the reference), for
/// queries generated from percent-encoded, repeated, empty, unknown and almost-`dryRun` parts.
@Suite struct CampaignQueryDifferentialTests {
    /// The parse as it was before it read on bytes: every name and value decoded to a String, then compared.
    static func reference(_ raw: String?, allowsList: Bool) -> Result<CampaignQuery, Problem> {
        guard let raw, !raw.isEmpty else { return .success(CampaignQuery()) }
        let bytes = Array(raw.utf8)
        func decoded(_ range: Range<Int>) -> String? {
            let part = bytes[range]
            guard part.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
                return String(decoding: part, as: UTF8.self)
            }
            return PercentDecoding.decode(part, plusAsSpace: true).flatMap { String(validating: $0, as: UTF8.self) }
        }
        var query = CampaignQuery()
        var seenDryRun = false
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "&") { end += 1 }
            defer { start = end + 1 }
            if end == start { continue }
            var equals = start
            while equals < end && bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            guard let name = decoded(start..<equals), let value = decoded(min(equals + 1, end)..<end) else {
                return .failure(Problem(.invalidQuery, "the query is not valid percent-encoded UTF-8"))
            }
            guard name == "dryRun" else {
                if allowsList {
                    query.listParameters.append((name, value))
                    continue
                }
                return .failure(Problem(.invalidQuery, "unknown query parameter; the only one is dryRun=true|false"))
            }
            guard !seenDryRun else { return .failure(Problem(.invalidQuery, "dryRun is given more than once")) }
            seenDryRun = true
            switch value {
            case "true": query.dryRun = true
            case "false": query.dryRun = false
            default: return .failure(Problem(.invalidQuery, "dryRun must be true or false"))
            }
        }
        return .success(query)
    }

    static let names = ["dryRun", "dryrun", "DryRun", "dryRu", "dryRunn", "%64ryRun", "dry%52un", "dry+Run", "dryRun%20",
                        "a", "status", "x+y", "%FF", "%zz", "%e2%9c%93", "", "%", "d%72yRun", "dryR%75n"]
    static let values = ["true", "false", "True", "tru", "truee", "tr%75e", "f%61lse", "", "1", "%FF", "%E2%9C", "tr+ue",
                         "a%20b", "%e2%9c%93", "true=1", "=", "%74rue", "false%20", "+", "%2B"]

    static func describe(_ result: Result<CampaignQuery, Problem>) -> String {
        switch result {
        case .success(let query):
            return "dryRun=\(query.dryRun) " + query.listParameters.map { "[\($0.name)]=[\($0.value)]" }.joined(separator: " ")
        case .failure(let problem):
            return "\(problem.code.rawValue) \(problem.code.status) \(problem.detail)"
        }
    }

    @Test func theByteReadingAgreesWithTheStringReading() {
        var generator = SeededGenerator(seed: 0xD4F)
        func pick<T>(_ list: [T]) -> T { list[Int(generator.next() % UInt64(list.count))] }
        var queries: [String] = ["", "&", "&&", "=", "dryRun", "dryRun=", "dryRun=true", "dryRun=false", "dryRun=true&dryRun=true"]
        for _ in 0..<4000 {
            var parts: [String] = []
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                switch generator.next() % 6 {
                case 0: parts.append(pick(Self.names))                                  // bare name
                case 1: parts.append("")                                           // empty pair
                case 2: parts.append("dryRun=" + pick(Self.values))                     // the parameter, maybe repeated
                default: parts.append(pick(Self.names) + "=" + pick(Self.values))
                }
            }
            queries.append(parts.joined(separator: "&"))
        }
        var successes = 0, failures = 0
        for query in queries {
            for allowsList in [false, true] {
                let expected = Self.describe(Self.reference(query, allowsList: allowsList))
                let got = Self.describe(CampaignQuery.parse(query, allowsList: allowsList))
                #expect(got == expected, "\(query) allowsList=\(allowsList)")
                if expected.hasPrefix("dryRun=") { successes += 1 } else { failures += 1 }
            }
        }
        // Both outcomes are well represented, dryRun=true among the successes.
        #expect(successes > 500 && failures > 500, "\(successes) successes, \(failures) failures")
    }
}
