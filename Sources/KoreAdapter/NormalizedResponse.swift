import JSONCore

/// A Kore.ai success body turned into the gateway's success envelope.
public struct NormalizedResponse: Sendable, Equatable {
    /// `{"campaign":{...normalized...},"message":"..."}`, compact UTF-8, ready to send.
    public var body: [UInt8]
    /// The campaign's name when the upstream sent one (for logs, audit and the success message).
    public var campaignName: String?
    /// Upstream field paths the normalizer did not recognise (or could not interpret) and kept under the campaign's
    /// `extensions`; feeds the drift metric. Paths are relative to the campaign record (`dialingStrategy.foo`);
    /// members of the envelope outside `data` are prefixed `envelope.`.
    public var unknownFields: [String]
    /// Upstream fields the normalizer knows whose value it could not read (kept under `extensions` too); feeds the
    /// unreadable-values metric.
    public var unreadableFields: [String]
    /// The campaign type the upstream record states about itself (`campaignType` or `type`), or the type its fields
    /// imply (`dialingMode`: voice; `format` or a `message` object: SMS). GET compares it with the route's type (404
    /// when they differ).
    public var recordType: String?
    /// The normalized campaign as a tree (what `body` carries under `campaign`) when the tree normalizer made the
    /// answer; `.null` when the byte-to-byte normalizer wrote it (then `campaignBytes` says where it is in `body`).
    public var campaign: JSONValue
    /// The normalized campaign's `id` when it is a string.
    public var campaignID: String?
    /// Where the campaign object sits in `body`, when the byte-to-byte normalizer wrote it.
    var campaignBytes: Range<Int>?

    public init(body: [UInt8], campaignName: String?, unknownFields: [String], unreadableFields: [String] = [],
                recordType: String? = nil, campaign: JSONValue = .null) {
        self.unreadableFields = unreadableFields
        self.body = body
        self.campaign = campaign
        self.campaignName = campaignName
        self.unknownFields = unknownFields
        self.recordType = recordType
        self.campaignID = campaign["id"]?.stringValue
    }

    init(body: [UInt8], campaignName: String?, unknownFields: [String], unreadableFields: [String],
         recordType: String?, campaignID: String?, campaignBytes: Range<Int>) {
        self.init(body: body, campaignName: campaignName, unknownFields: unknownFields,
                  unreadableFields: unreadableFields, recordType: recordType)
        self.campaignID = campaignID
        self.campaignBytes = campaignBytes
    }

    /// The campaign's strong entity tag (`CampaignETag`), the same whichever normalizer made the answer: from the
    /// written bytes put in canonical order, or from the tree.
    public var entityTag: String {
        guard let range = campaignBytes else { return CampaignETag.tag(for: campaign) }
        if let canonical = CanonicalJSONBytes.canonical(body, range) { return CampaignETag.tag(canonical: canonical) }
        // Keys the byte sort cannot order (escaped ones): read the campaign back and tag the tree.
        let tree = (try? JSONReader.parse(Array(body[range]), maxDepth: CanonicalJSONBytes.writtenMaxDepth)) ?? .null
        return CampaignETag.tag(for: tree)
    }
}
