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
    /// The normalized campaign itself (what `body` carries under `campaign`), for the `ETag`.
    public var campaign: JSONValue

    public init(body: [UInt8], campaignName: String?, unknownFields: [String], unreadableFields: [String] = [],
                recordType: String? = nil, campaign: JSONValue = .null) {
        self.unreadableFields = unreadableFields
        self.body = body
        self.campaign = campaign
        self.campaignName = campaignName
        self.unknownFields = unknownFields
        self.recordType = recordType
    }
}
