import JSONCore
import KoreAdapter

// Target `kore-normalizer-differential`: the byte-to-byte normalizer (`ByteCampaignNormalizer`) against the tree
// normalizer (`CampaignNormalizer`, the reference) on arbitrary bytes. The first byte picks the operation (delete,
// update, create, stop), the type and the version, and with bit 0x10 set a list instead (`ByteListNormalizer`
// against `ListNormalizer`, page 1, 2 or 999,999,999 from the top bits); the rest is the upstream 2xx body.
//
// Oracles: where the byte path answers, the reference answers too, with the same body bytes, campaign name and id,
// record type, unknown and unreadable paths, and entity tag; where the reference fails, the byte path declines
// (the gateway then runs the reference, so every error is the reference's). `CampaignAnswerNormalizer`, what the
// gateway calls, gives the reference's result. The byte path is deterministic.

let operations: [CampaignOperation] = [.delete, .update, .create, .stop]
/// The selector byte before the body (for the structure-aware mode, JSONMutator.swift).
let fuzzPrefixBytes = 1

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let selector = Int(data[0])
    let operation = operations[selector % 4]
    let type = CampaignType.allCases[(selector / 4) % 2]
    let version = UpstreamVersion.allCases[(selector / 8) % 2]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if selector & 0x10 != 0 {
        var query = CampaignListQuery()
        query.page = [1, 2, 999_999_999][(selector >> 5) % 3]
        query.limit = 1 + (selector & 0x3) * 33
        compareList(body, query, type, version)
        return 0
    }

    let written = ByteCampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version)
    let again = ByteCampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version)
    Fuzz.check(written == again, "the byte path is not deterministic")
    let reference: Result<NormalizedResponse, NormalizationError>
    do {
        reference = .success(try CampaignNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version))
    } catch {
        reference = .failure(error)
    }
    let entry: Result<NormalizedResponse, NormalizationError>
    do {
        entry = .success(try CampaignAnswerNormalizer.normalize(upstreamBody: body, operation: operation, type: type, version: version))
    } catch {
        entry = .failure(error)
    }
    switch (reference, entry) {
    case (.failure(let expected), .failure(let got)):
        Fuzz.check(expected == got, "the gateway's entry fails with \(got), the reference with \(expected)")
    case (.success(let expected), .success(let got)):
        Fuzz.check(expected.body == got.body, "the gateway's entry answers other bytes than the reference")
    default:
        Fuzz.fail("the gateway's entry and the reference disagree on success: \(entry) vs \(reference)")
    }
    guard let written else { return 0 }
    guard case .success(let expected) = reference else {
        Fuzz.fail("the byte path answered where the reference fails (\(reference)): \(String(decoding: written.body, as: UTF8.self))")
    }
    Fuzz.check(written.body == expected.body, """
        bodies differ
        byte path: \(String(decoding: written.body, as: UTF8.self))
        reference: \(String(decoding: expected.body, as: UTF8.self))
        """)
    Fuzz.check(written.campaignName == expected.campaignName, "campaignName \(String(describing: written.campaignName)) vs \(String(describing: expected.campaignName))")
    Fuzz.check(written.campaignID == expected.campaignID, "campaignID \(String(describing: written.campaignID)) vs \(String(describing: expected.campaignID))")
    Fuzz.check(written.recordType == expected.recordType, "recordType \(String(describing: written.recordType)) vs \(String(describing: expected.recordType))")
    Fuzz.check(written.unknownFields == expected.unknownFields, "unknownFields \(written.unknownFields) vs \(expected.unknownFields)")
    Fuzz.check(written.unreadableFields == expected.unreadableFields, "unreadableFields \(written.unreadableFields) vs \(expected.unreadableFields)")
    Fuzz.check(written.entityTag == CampaignETag.tag(for: expected.campaign), "entity tags differ")
    return 0
}

func compareList(_ body: [UInt8], _ query: CampaignListQuery, _ type: CampaignType, _ version: UpstreamVersion) {
    let written = ByteListNormalizer.normalize(upstreamBody: body, query: query, type: type, version: version)
    let reference: Result<ListNormalizer.Output, NormalizationError>
    do {
        reference = .success(try ListNormalizer.normalize(upstreamBody: body, query: query, type: type, version: version))
    } catch {
        reference = .failure(error)
    }
    let entry: Result<ListNormalizer.Output, NormalizationError>
    do {
        entry = .success(try CampaignAnswerNormalizer.normalizeList(upstreamBody: body, query: query, type: type, version: version))
    } catch {
        entry = .failure(error)
    }
    Fuzz.check(entry == reference, "the gateway's list entry differs from the reference")
    guard let written else { return }
    guard case .success(let expected) = reference else {
        Fuzz.fail("the byte path answered a list where the reference fails (\(reference))")
    }
    Fuzz.check(written == expected, """
        lists differ
        byte path: \(String(decoding: written.body, as: UTF8.self)) \(written.unknownFields) \(written.unreadableFields)
        reference: \(String(decoding: expected.body, as: UTF8.self)) \(expected.unknownFields) \(expected.unreadableFields)
        """)
}
