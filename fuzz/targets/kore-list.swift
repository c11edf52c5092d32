import Foundation
import JSONCore
import KoreAdapter

// Target `kore-list`: `ListNormalizer.normalize(upstreamBody:query:type:version:)`, Kore.ai's list answer. The first
// byte picks the type, the version and the page (1, 2, 7 or 999,999,999), the second the limit (1 to 100); the rest is
// the upstream 2xx body.
//
// Oracles: no crash (the totals are Kore.ai's numbers, and arithmetic on them must not trap); deterministic; on
// success the envelope has exactly `campaigns, page, limit, total, totalPages, hasMore`, `page` and `limit` echo the
// query, `total` and `totalPages` are integers from 0 to 2^53 - 1, every campaign has the route's type and the same
// keys as every other, `unknownFields` and `unreadableFields` together are the campaigns' extension keys, and
// Foundation reads the envelope alike; on failure the error text stays short.

let fuzzPrefixBytes = 2
let pages = [1, 2, 7, 999_999_999]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= fuzzPrefixBytes else { return 0 }
    let selector = Int(data[0])
    let type = CampaignType.allCases[selector % 2]
    let version = UpstreamVersion.allCases[(selector / 2) % 2]
    var query = CampaignListQuery()
    query.page = pages[(selector / 4) % pages.count]
    query.limit = 1 + Int(data[1]) % CampaignListQuery.maxLimit
    let body = Array(UnsafeBufferPointer(start: data + fuzzPrefixBytes, count: size - fuzzPrefixBytes))

    func run() -> Result<ListNormalizer.Output, NormalizationError> {
        do { return .success(try ListNormalizer.normalize(upstreamBody: body, query: query, type: type, version: version)) } catch { return .failure(error) }
    }
    let result = run()
    Fuzz.check(result == run(), "normalize is not deterministic")
    switch result {
    case .failure(.notJSON(let text)), .failure(.unexpectedShape(let text)):
        Fuzz.check(text.utf8.count <= 160, "error text of \(text.utf8.count) bytes: \(text)")
    case .success(let output):
        guard let envelope = try? JSONReader.parse(output.body, maxDepth: outputMaxDepth), let object = envelope.objectValue else {
            Fuzz.fail("envelope is not a JSON object: \(String(decoding: output.body, as: UTF8.self))")
        }
        Fuzz.check(object.keys == ["campaigns", "page", "limit", "total", "totalPages", "hasMore"], "envelope keys \(object.keys)")
        Fuzz.check(object["page"] == .int(query.page) && object["limit"] == .int(query.limit), "page/limit do not echo the query")
        for key in ["total", "totalPages"] {
            guard let count = object[key]?.intValue, (0...ListNormalizer.maxExactCount).contains(count) else {
                Fuzz.fail("\(key) is \(String(describing: object[key]))")
            }
        }
        Fuzz.check(object["hasMore"]?.boolValue != nil, "hasMore is not a boolean")
        guard let campaigns = object["campaigns"]?.arrayValue else { Fuzz.fail("campaigns is not an array") }
        var extensionKeys: [String] = []
        for campaign in campaigns {
            Fuzz.check(campaign["type"] == .string(type.rawValue), "a campaign of type \(String(describing: campaign["type"]))")
            Fuzz.check(campaign.objectValue?.keys == campaigns[0].objectValue?.keys, "campaigns differ in their keys")
            extensionKeys += campaign["extensions"]?.objectValue?.keys ?? []
        }
        // Every extension is reported once (as an unknown field, or a known one whose value could not be read), but for
        // the fields the mapping documents as kept unmodelled.
        let reported = output.unknownFields + output.unreadableFields
        let counted = extensionKeys.filter { !CampaignNormalizer.documentedUnmodelledFields.contains($0) }
        Fuzz.check(reported.sorted() == counted.sorted(),
                   "unknown \(output.unknownFields) + unreadable \(output.unreadableFields) vs extensions \(extensionKeys)")
        if foundationComparable(envelope) {
            let foundation = try? JSONSerialization.jsonObject(with: Data(output.body))
            Fuzz.check(foundation.map { matches(envelope, $0) } ?? false,
                       "Foundation reads the envelope differently: \(String(decoding: output.body, as: UTF8.self))")
        }
    }
    return 0
}
