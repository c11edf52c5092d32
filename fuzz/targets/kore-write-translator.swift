import Foundation
import JSONCore
import KoreAdapter

// Target `kore-write-translator`: `CampaignWriteTranslator.upstreamBody(fromNormalized:type:version:)` on JSON
// documents. The first byte picks one of the 4 type/version combinations; the rest is read with JSONReader (inputs it
// rejects are uninteresting here and return early; the JSON dictionary and the seed bodies keep most inputs valid).
//
// Oracles: no crash; deterministic; the body read in place from the same bytes
// (`upstreamBody(fromNormalizedJSON:...)`) gives the same answer or declines, and declines whatever JSONReader refuses; on success a JSON object both readers read alike, with `campaignType` equal to the
// route's type, and idempotent through a read: translating the normalized form of what we would store gives the same
// bytes again (write -> read -> write); on failure at least one and at most 101 field errors (100 plus a summary).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let selector = Int(data[0])
    let type = CampaignType.allCases[selector % 2]
    let version = UpstreamVersion.allCases[(selector / 2) % 2]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let inPlace = CampaignWriteTranslator.upstreamBody(fromNormalizedJSON: input, type: type, version: version)
    guard let normalized = try? JSONReader.parse(input) else {
        Fuzz.check(inPlace == nil, "the in-place reading takes a body JSONReader refuses")
        return 0
    }
    let result = CampaignWriteTranslator.upstreamBody(fromNormalized: normalized, type: type, version: version)
    // The body read in place (no tree) gives the tree's answer exactly, or declines.
    if let inPlace {
        Fuzz.check(inPlace == result, "the in-place reading differs from the tree's: \(inPlace) vs \(result)")
    }
    Fuzz.check(result == CampaignWriteTranslator.upstreamBody(fromNormalized: normalized, type: type, version: version),
               "translation is not deterministic")
    switch result {
    case .failure(let failure):
        Fuzz.check(!failure.errors.isEmpty && failure.errors.count <= 101, "\(failure.errors.count) field errors")
    case .success(let bytes):
        guard let upstream = try? JSONReader.parse(bytes), let object = upstream.objectValue else {
            Fuzz.fail("translation is not a JSON object: \(String(decoding: bytes, as: UTF8.self))")
        }
        Fuzz.check(object["campaignType"] == .string(type.rawValue), "campaignType \(String(describing: object["campaignType"]))")
        if foundationComparable(upstream) {
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes))
            Fuzz.check(foundation.map { matches(upstream, $0) } ?? false,
                       "Foundation reads the translation differently: \(String(decoding: bytes, as: UTF8.self))")
        }

        // Write -> read -> write: Kore.ai stores the body; reading it back and writing that again changes nothing.
        let stored = upstream.objectValue.map { o -> JSONValue in var o = o; o["_id"] = .string("cd-1"); return .object(o) }!
        let envelope: JSONValue = .object(["status": .string("success"), "data": stored])
        guard let reread = try? CampaignNormalizer.campaign(fromUpstream: envelope.bytes, type: type, version: version) else {
            Fuzz.fail("our own translation does not normalize: \(String(decoding: bytes, as: UTF8.self))")
        }
        switch CampaignWriteTranslator.upstreamBody(fromNormalized: reread, type: type, version: version) {
        case .success(let second):
            Fuzz.check(second == bytes, """
                write -> read -> write changed the body:
                 first:  \(String(decoding: bytes, as: UTF8.self))
                 second: \(String(decoding: second, as: UTF8.self))
                """)
        case .failure(let failure):
            Fuzz.fail("write -> read -> write fails: \(failure.errors) for \(String(decoding: bytes, as: UTF8.self))")
        }
    }
    return 0
}
