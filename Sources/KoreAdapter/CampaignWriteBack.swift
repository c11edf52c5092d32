import JSONCore

/// Which values of a campaign as read cannot be PUT back as they are, so a GET can say so before the PUT is refused.
///
/// Two causes: a value Kore.ai holds that the gateway's write rules refuse (Kore.ai's documentation samples redact
/// phone numbers as `+181633xxxxx`, which is not E.164), and a value the read could not show in the normalized shape
/// at all (an SMS text that is not Base64 of UTF-8, kept under `extensions`), which a PUT therefore cannot carry.
/// The first comes from running the update rules themselves on the campaign, so the list and the PUT's 422 always agree.
public enum CampaignWriteBack {
    public static func problems(of campaign: JSONValue, type: CampaignType, version: UpstreamVersion) -> [FieldError] {
        var problems: [FieldError] = []
        if case .failure(let failure) = CampaignWriteTranslator.upstreamCampaign(fromNormalized: campaign, type: type,
                                                                                  version: version, purpose: .update) {
            for error in failure.errors {
                problems.append(FieldError(field: error.field, message: "cannot be written back as read: " + error.message))
            }
        }
        if type == .sms, campaign["extensions"]?["message.message"] != nil {
            problems.append(FieldError(field: "sms.text", message: "is null because Kore.ai's stored text is not Base64 of UTF-8 text (it is under extensions[\"message.message\"]); a PUT with sms.text null sends no text, so send the text"))
        }
        return problems
    }

    /// The problems as the answer's `notWritableAsRead` array: `[{"field", "message"}]`, like a 422's `errors`.
    static func json(_ problems: [FieldError]) -> JSONValue {
        .array(problems.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
    }
}
