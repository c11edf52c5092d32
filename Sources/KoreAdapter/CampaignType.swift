/// The kind of campaign a gateway route names (`/campaigns/voice/...`, `/campaigns/sms/...`).
///
/// The raw value is exactly what Kore.ai expects in its `campaignType` query parameter and body member, and what the
/// normalized campaign's `type` field says. Routes are lowercase only, so `init(rawValue:)` is the
/// whole parser: `"Voice"` is not a campaign type.
public enum CampaignType: String, Sendable, CaseIterable {
    case voice
    case sms

    /// The key of the normalized campaign's type-specific section (`"voice"` or `"sms"`); the other type's key is
    /// never present.
    var sectionKey: String { rawValue }
}
