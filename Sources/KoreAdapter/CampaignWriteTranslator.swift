import JSONCore

/// Validates a normalized PUT body and translates it to Kore.ai's body. Work in progress.
public enum CampaignWriteTranslator {
    public static func upstreamBody(fromNormalized body: JSONValue, type: CampaignType,
                                    version: UpstreamVersion) -> Result<[UInt8], CampaignValidationFailure> {
        .failure(CampaignValidationFailure(errors: [FieldError(field: "", message: "not implemented yet")]))
    }
}
