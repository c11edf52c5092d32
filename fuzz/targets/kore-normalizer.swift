import Foundation
import JSONCore
import KoreAdapter

// Target `kore-normalizer`: `CampaignNormalizer.normalize(upstreamBody:operation:type:version:)` on arbitrary bytes.
// The first byte picks one of the 12 operation/type/version combinations; the rest is the upstream 2xx body.
//
// Oracles: no crash; deterministic; on success the envelope is `{"campaign":{...},"message":"..."}` that both
// JSONReader and Foundation read alike (unless it carries a number beyond Double's range, which JSONCore passes
// through and Foundation refuses), `campaignName` and `unknownFields` agree with the body, and
// `campaign(fromUpstream:)` returns the same campaign; on failure the log text stays short (it never echoes the body).

let operations: [CampaignOperation] = [.delete, .update, .get]
/// The selector byte before the body (for the structure-aware mode, JSONMutator.swift).
let fuzzPrefixBytes = 1

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let selector = Int(data[0])
    let operation = operations[selector % 3]
    let type = CampaignType.allCases[(selector / 3) % 2]
    let version = UpstreamVersion.allCases[(selector / 6) % 2]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))

    let result: Result<NormalizedResponse, NormalizationError>
    do {
        result = .success(try CampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version))
    } catch {
        result = .failure(error)
    }
    let again: Result<NormalizedResponse, NormalizationError>
    do {
        again = .success(try CampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version))
    } catch {
        again = .failure(error)
    }
    Fuzz.check(result == again, "normalize is not deterministic")

    switch result {
    case .failure(.notJSON(let text)), .failure(.unexpectedShape(let text)):
        Fuzz.check(text.utf8.count <= 160, "error text of \(text.utf8.count) bytes: \(text)")
        Fuzz.check((try? CampaignNormalizer.campaign(fromUpstream: body, type: type, version: version)) == nil,
                   "campaign(fromUpstream:) accepts what normalize rejects")
    case .success(let response):
        guard let envelope = try? JSONReader.parse(response.body, maxDepth: outputMaxDepth), let object = envelope.objectValue else {
            Fuzz.fail("envelope is not a JSON object: \(String(decoding: response.body, as: UTF8.self))")
        }
        let expectedKeys = operation == .get ? ["campaign", "message", "notWritableAsRead"] : ["campaign", "message"]
        Fuzz.check(object.keys == expectedKeys, "envelope keys \(object.keys)")
        guard let campaign = object["campaign"], campaign.objectValue != nil else { Fuzz.fail("campaign is not an object") }
        Fuzz.check(object["message"]?.stringValue?.isEmpty == false, "message is not a non-empty string")
        Fuzz.check(campaign["type"] == .string(type.rawValue), "type \(String(describing: campaign["type"]))")
        Fuzz.check(response.campaignName == campaign["name"]?.stringValue,
                   "campaignName \(String(describing: response.campaignName)) vs \(String(describing: campaign["name"]))")
        let extensionKeys = campaign["extensions"]?.objectValue?.keys ?? []
        let reported = response.unknownFields + response.unreadableFields
        let counted = extensionKeys.filter { !CampaignNormalizer.documentedUnmodelledFields.contains($0) }
        Fuzz.check(Set(reported) == Set(counted) && reported.count == counted.count,
                   "unknown \(response.unknownFields) + unreadable \(response.unreadableFields) vs extensions \(extensionKeys)")
        let direct = try? CampaignNormalizer.campaign(fromUpstream: body, type: type, version: version)
        Fuzz.check(direct == campaign, "campaign(fromUpstream:) differs from the envelope's campaign")
        // Except where Foundation itself differs (numbers beyond Double's range, U+FEFF: see foundationComparable).
        if foundationComparable(envelope) {
            let foundation = try? JSONSerialization.jsonObject(with: Data(response.body))
            Fuzz.check(foundation.map { matches(envelope, $0) } ?? false,
                       "Foundation reads the envelope differently: \(String(decoding: response.body, as: UTF8.self))")
        }
    }
    return 0
}
