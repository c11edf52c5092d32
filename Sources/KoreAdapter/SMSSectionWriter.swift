import JSONCore

/// Normalized `sms` section -> Kore.ai's `format`, `message {message, templateId, template_name}` and
/// `experienceFlowName`. The text is sent as Base64 of its UTF-8 for both versions; `experienceFlowId`
/// is read-only (Kore.ai takes the flow by name on writes).
///
/// On create, each of Kore.ai's three SMS variants needs its own member: plain text (`simple`/`basic`, no template)
/// needs `text`; a template (`simple`/`basic` with `template`) needs `template.name` (Kore.ai's `template_name`);
/// `advanced` needs `experienceFlowName`.
struct SMSSectionWriter {
    var creating = false

    static let writable: MemberNames = ["format", "template", "text", "experienceFlowName"]
    static let readOnly: MemberNames = ["experienceFlowId"]
    static let templateMembers: MemberNames = ["id", "name"]

    func write<V: WriteBodyValue>(_ value: V?, into out: inout UpstreamCampaignFields, _ check: inout WriteFieldChecker) {
        guard let sms = check.object(value, at: "sms", required: true) else { return }
        check.rejectUnknownMembers(of: sms, at: "sms", writable: Self.writable, readOnly: Self.readOnly)

        let formats = KoreEnumSpelling.smsFormatNames
        let format = check.oneOf(sms["format"], at: "sms.format", formats, required: true)
        if let format {
            out.format = KoreEnumSpelling.upstream(format, in: KoreEnumSpelling.smsFormat)
        }
        let advanced = format == "advanced"
        let usesTemplate = !WriteFieldChecker.isMissing(sms["template"])
        var message = UpstreamCampaignFields.SMSMessage()
        if let text = check.string(sms["text"], at: "sms.text", required: creating && format != nil && !advanced && !usesTemplate) {
            message.text = SMSTextCoding.encode(text)
        }
        if let template = check.object(sms["template"], at: "sms.template", required: false) {
            check.rejectUnknownMembers(of: template, at: "sms.template", writable: Self.templateMembers)
            let id = check.string(template["id"], at: "sms.template.id", required: false)
            let name = check.string(template["name"], at: "sms.template.name", required: creating && !advanced)
            if id == nil && name == nil && WriteFieldChecker.isMissing(template["id"])
                && WriteFieldChecker.isMissing(template["name"]) {
                check.fail("sms.template", "must have an id or a name (or be null)")
            }
            if let id { message.templateID = id }
            if let name { message.templateName = name }
        }
        if !message.isEmpty { out.message = message }
        if let flow = check.string(sms["experienceFlowName"], at: "sms.experienceFlowName",
                                    required: creating && advanced) {
            out.experienceFlowName = flow
        }
    }
}
