import JSONCore

/// Upstream success bodies to the gateway's normalized campaign (DESIGN section 2). Work in progress.
public enum CampaignNormalizer {
    public static func normalize(upstreamBody: [UInt8], operation: CampaignOperation, type: CampaignType,
                                 version: UpstreamVersion) throws(NormalizationError) -> NormalizedResponse {
        throw .unexpectedShape("not implemented yet")
    }

    /// Same, returning the normalized campaign as a value (used by tests and the simulator round trip).
    public static func campaign(fromUpstream body: [UInt8], type: CampaignType,
                                version: UpstreamVersion) throws(NormalizationError) -> JSONValue {
        throw .unexpectedShape("not implemented yet")
    }
}
