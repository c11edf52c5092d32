/// The two kinds of campaign Kore.ai keeps. The simulator has its own enum (not KoreAdapter's) so it stays an
/// independent implementation that can catch the adapter's mistakes.
enum SimulatedCampaignType: String, Sendable, CaseIterable {
    case voice
    case sms

    /// Parses the `campaignType` query or body value. Kore.ai's pages only ever show lowercase, so only lowercase is accepted.
    init?(queryValue: String) {
        self.init(rawValue: queryValue)
    }
}
