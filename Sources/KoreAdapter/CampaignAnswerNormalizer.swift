/// The gateway's way to normalize a campaign answer and a list: the byte-to-byte normalizer when it handles the
/// answer (every common Kore.ai answer but a read's), else the tree normalizer, which is the reference and owns every
/// error. Both give the same bytes, fields and tag (the differential test and the `kore-normalizer-differential`
/// fuzz target hold them to it).
public enum CampaignAnswerNormalizer {
    public static func normalize(upstreamBody: [UInt8], operation: CampaignOperation, type: CampaignType,
                                 version: UpstreamVersion) throws(NormalizationError) -> NormalizedResponse {
        if let written = ByteCampaignNormalizer.normalize(upstreamBody: upstreamBody, operation: operation, type: type,
                                                          version: version) {
            return written
        }
        return try CampaignNormalizer.normalize(upstreamBody: upstreamBody, operation: operation, type: type, version: version)
    }

    public static func normalizeList(upstreamBody: [UInt8], query: CampaignListQuery, type: CampaignType,
                                     version: UpstreamVersion) throws(NormalizationError) -> ListNormalizer.Output {
        if let written = ByteListNormalizer.normalize(upstreamBody: upstreamBody, query: query, type: type, version: version) {
            return written
        }
        return try ListNormalizer.normalize(upstreamBody: upstreamBody, query: query, type: type, version: version)
    }
}
