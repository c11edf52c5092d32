@testable import Gateway
import KoreAdapter
import TestSupport
import Testing

/// The path, query and Authorization header are taken apart on their UTF-8 bytes; these are the shapes they must
/// accept and refuse exactly as before.
@Suite struct RouteAndCredentialParsingTests {
    @Test(arguments: [
        ("/campaigns/voice/cd-1", "voice cd-1"), ("/campaigns/sms/abc_9", "sms abc_9"), ("/campaigns/voice/cd%2D1", "voice cd-1"),
        ("/campaigns/voice/", "badId"), ("/campaigns/voice/%zz", "badId"), ("/campaigns/voice/-x", "badId"),
        ("/campaigns/voice/caf%C3%A9", "badId"),
        ("/campaigns/voice", "voice collection"), ("/campaigns/sms", "sms collection"),
        ("/campaigns/voice/cd-1/start", "voice cd-1 start"), ("/campaigns/sms/cd-1/stop", "sms cd-1 stop"),
        ("/campaigns/voice/cd-1/status", "voice cd-1 status"), ("/campaigns/voice/cd-1/schedule", "voice cd-1 schedule"),
        ("/campaigns/voice/%zz/start", "badId"),
        ("/campaigns/", "noRoute"), ("/campaigns", "noRoute"), ("/campaigns//x", "noRoute"),
        ("/campaigns/Voice/x", "noRoute"), ("/campaigns/email/x", "noRoute"), ("/campaigns/voice/a/b", "noRoute"),
        ("/campaigns/voice/a/", "noRoute"), ("//campaigns/voice/a", "noRoute"), ("/campaignsx/voice/a", "noRoute"),
        ("/campaigns/vo%69ce/a", "noRoute"), ("/campaigns/voicé/a", "noRoute"), ("/campaigns/voice/a/start/x", "noRoute"),
        ("/campaigns/voice/a/Start", "noRoute"),
    ])
    func campaignPath(_ path: String, _ expected: String) {
        let described: String
        switch CampaignPath.match(path: path) {
        case .path(let matched):
            let action = matched.shape.template.split(separator: "/").last.map(String.init) ?? ""
            described = [matched.type.rawValue, matched.id?.value ?? "collection",
                         ["start", "stop", "status", "schedule"].contains(action) ? action : ""]
                .filter { !$0.isEmpty }.joined(separator: " ")
        case .badId: described = "badId"
        case .noRoute: described = "noRoute"
        }
        #expect(described == expected)
    }

    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER abc", "abc"), ("Bearer   abc", "abc"), ("  Bearer abc  ", "abc"),
        ("Basic abc", nil), ("Bearer", nil), ("Bearer a b", nil), ("Bearerabc", nil), ("Bearer abcé", nil), ("Béarer abc", nil),
        ("Bearer " + String(repeating: "k", count: 513), nil), ("Bearer\tabc", nil), ("", nil),
    ] as [(String, String?)])
    func bearerToken(_ header: String, _ expected: String?) {
        #expect(CallerAuthenticator.bearerToken(header) == expected)
    }

    @Test(arguments: [
        (nil, "false"), ("", "false"), ("dryRun=true", "true"), ("dryRun=false", "false"), ("dryRun=tr%75e", "true"),
        ("&dryRun=true&", "true"), ("dryRun", "invalid_query"), ("dryRun=", "invalid_query"), ("dryrun=true", "invalid_query"),
        ("dryRun=true&dryRun=true", "invalid_query"), ("dryRun=%FF", "invalid_query"), ("x=1", "invalid_query"),
        ("dryRun=true=1", "invalid_query"), ("%64ryRun=true", "true"), ("dry%52un=true", "true"), ("dryRun=tr+ue", "invalid_query"),
        ("=true", "invalid_query"), ("dryRun=true&&&", "true"), ("dryRun=%zz", "invalid_query"), ("dryRun=%E2%9C", "invalid_query"),
        ("dryRun=true&x", "invalid_query"),
    ] as [(String?, String)])
    func campaignQuery(_ raw: String?, _ expected: String) {
        switch CampaignQuery.parse(raw) {
        case .success(let query): #expect(String(query.dryRun) == expected)
        case .failure(let problem): #expect(problem.code.rawValue == expected)
        }
    }

    /// A list route's parameters come out decoded (`%XX`, `+` as a space), in order, with a bare name as an empty value.
    @Test func listParametersAreDecodedInOrder() throws {
        let query = try CampaignQuery.parse("a=1&b=x+y&&c=%41%e2%9c%93&d&dryRun=true&e=", allowsList: true).get()
        #expect(query.dryRun)
        #expect(query.listParameters.map { "\($0.name)=\($0.value)" } == ["a=1", "b=x y", "c=A✓", "d=", "e="])
        #expect(throws: Problem.self) { try CampaignQuery.parse("a=%FF", allowsList: true).get() }
    }

    /// The field read in one pass must give what the two-words reading gave (kept here as the reference), for
    /// fields generated from the bytes that matter: the scheme's letters in both cases, spaces, a tab, DEL, a
    /// non-ASCII byte, token bytes, and lengths around the 512-byte bound.
    @Test func theOnePassReadingAgreesWithTheTwoWordsReading() {
        func reference(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
            var i = 0
            func skipSpaces() { while i < bytes.count && bytes[i] == 0x20 { i += 1 } }
            func word() -> Range<Int> {
                let start = i
                while i < bytes.count && bytes[i] != 0x20 { i += 1 }
                return start..<i
            }
            skipSpaces()
            let scheme = word()
            skipSpaces()
            let token = word()
            skipSpaces()
            guard i == bytes.count, scheme.count == 6, !token.isEmpty, token.count <= 512 else { return nil }
            for (offset, expected) in Array("bearer".utf8).enumerated() where bytes[scheme.lowerBound + offset] | 0x20 != expected {
                return nil
            }
            guard UnsafeBufferPointer(rebasing: bytes[token]).allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            return token
        }
        let pieces: [[UInt8]] = ["Bearer", "bEARER", "Bearer ", "Beare", "Bearerx", " ", "  ", "\t", "abc", "k", "=", "\u{7F}",
                                 "é", "B", "r", "Bearer\u{0}"].map { Array($0.utf8) }
        var fields: [[UInt8]] = [Array("Bearer ".utf8) + Array(repeating: UInt8(ascii: "k"), count: 512),
                                 Array("Bearer ".utf8) + Array(repeating: UInt8(ascii: "k"), count: 513),
                                 Array(" Bearer  ".utf8) + Array(repeating: UInt8(ascii: "k"), count: 512) + [0x20]]
        var generator = SeededGenerator(seed: 6750)
        for _ in 0..<20_000 {
            var field: [UInt8] = []
            for _ in 0..<generator.below(5) { field += pieces[generator.below(pieces.count)] }
            fields.append(field)
        }
        var accepted = 0
        for field in fields {
            let (expected, got) = field.withUnsafeBufferPointer { (reference($0), CallerAuthenticator.bearerTokenRange($0)) }
            #expect(got == expected, "\(field)")
            if expected != nil { accepted += 1 }
        }
        #expect(accepted > 200 && accepted < fields.count - 1_000)
    }
}
