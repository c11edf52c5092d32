import JSONCore

/// Normalized `voice` section -> Kore.ai's top-level and `dialingStrategy` members, with the voice rules of
/// docs/KORE-MAPPING.md:
/// - dialingMode agentless|progressive|preview, dialingOrder fifo|lifo, maxAttemptsPerRecord 1-100,
///   retryPeriodMinutes 1-1440, maxRingTimeSeconds 5-120.
/// - queueName: required on create for progressive and preview. Kore.ai never shows `queue_name` on a record, so on
///   an update null means "keep the queue Kore.ai holds" (nothing is sent); a value replaces it.
/// - maxSkips required for preview, sent when present otherwise.
/// - machineDetection off|detect|disconnect: v1 sends a boolean and cannot express disconnect; v2 agentless sends
///   no|detect|disconnect; v2 progressive/preview send nothing and accept only off. Null means off, except on a v2
///   update, where it means "keep Kore.ai's setting": v2 never shows `enableMachineDetect` on a record.
/// - useSystemMappings goes to v2's `dialingStrategy.useSystemMappings`; v1 has no such setting, so there only true
///   (asking for something v1 cannot do) is refused, and false or null send nothing.
/// - experienceFlowName: required on create for agentless (Kore.ai's create-agentless pages); Kore.ai shows only the
///   flow's id (`experienceFlowId`, read-only), so on an update null keeps the flow.
struct VoiceSectionWriter {
    let version: UpstreamVersion
    var creating = false

    static let writable: MemberNames = [
        "dialingMode", "dialingOrder", "maxAttemptsPerRecord", "retryPeriodMinutes", "maxRingTimeSeconds", "maxSkips",
        "machineDetection", "queueName", "useSystemMappings", "experienceFlowName",
    ]
    /// Shown on reads, ignored on writes (Kore.ai takes the flow by name).
    static let readOnly: MemberNames = ["experienceFlowId"]

    func write<V: WriteBodyValue>(_ value: V?, into out: inout UpstreamCampaignFields, _ check: inout WriteFieldChecker) {
        guard let voice = check.object(value, at: "voice", required: true) else { return }
        check.rejectUnknownMembers(of: voice, at: "voice", writable: Self.writable, readOnly: Self.readOnly)

        let modes = KoreEnumSpelling.dialingModeNames
        let mode = check.oneOf(voice["dialingMode"], at: "voice.dialingMode", modes, required: true)
        if let mode { out.dialingMode = KoreEnumSpelling.upstream(mode, in: KoreEnumSpelling.dialingMode) }

        let orders = KoreEnumSpelling.dialingOrderNames
        if let order = check.oneOf(voice["dialingOrder"], at: "voice.dialingOrder", orders, required: true) {
            out.dialingOrder = KoreEnumSpelling.upstream(order, in: KoreEnumSpelling.dialingOrder)
        }
        // The integer settings, each to its `dialingStrategy` member.
        out.maxAttemptsPerRecord = check.integer(voice["maxAttemptsPerRecord"], at: "voice.maxAttemptsPerRecord",
                                                 in: 1...100, required: true)
        out.defaultRetryPeriod = check.integer(voice["retryPeriodMinutes"], at: "voice.retryPeriodMinutes",
                                               in: 1...1440, required: true)
        out.maxRingTime = check.integer(voice["maxRingTimeSeconds"], at: "voice.maxRingTimeSeconds",
                                        in: 5...120, required: true)
        if version == .v2 {
            if let mappings = check.bool(voice["useSystemMappings"], at: "voice.useSystemMappings", required: false) {
                out.useSystemMappings = mappings
            }
        } else if check.bool(voice["useSystemMappings"], at: "voice.useSystemMappings", required: false) == true {
            check.fail("voice.useSystemMappings", "cannot be true for this tenant's upstream version (v1), which has no system mappings; send false or null")
        }

        let needsQueue = creating && (mode == "progressive" || mode == "preview")
        if let queue = check.string(voice["queueName"], at: "voice.queueName", required: needsQueue) {
            out.queueName = queue
        }
        if let skips = check.integer(voice["maxSkips"], at: "voice.maxSkips", in: 0...Int.max, required: mode == "preview") {
            out.maxSkips = skips
        }
        if let flow = check.string(voice["experienceFlowName"], at: "voice.experienceFlowName",
                                    required: creating && mode == "agentless") {
            out.experienceFlowName = flow
        }
        machineDetection(voice["machineDetection"], mode: mode, into: &out, &check)
    }

    private func machineDetection<V: WriteBodyValue>(_ value: V?, mode: String?, into out: inout UpstreamCampaignFields,
                                  _ check: inout WriteFieldChecker) {
        let field = "voice.machineDetection"
        let names = KoreEnumSpelling.machineDetectionV2Names
        let setting: String
        if WriteFieldChecker.isMissing(value) {
            if version == .v2 && !creating { return }  // v2 never shows it: null keeps what Kore.ai holds
            setting = "off"
        } else if let given = check.oneOf(value, at: field, names, required: true) {
            setting = given
        } else {
            return
        }
        switch version {
        case .v1:
            guard setting != "disconnect" else {
                check.fail(field, "cannot be disconnect for this tenant's upstream version (v1); use off or detect")
                return
            }
            out.machineDetection = .flag(setting == "detect")
        case .v2:
            guard let mode else { return }  // the dialing mode's own error is already reported
            if mode == "agentless" {
                out.machineDetection = KoreEnumSpelling.upstream(setting, in: KoreEnumSpelling.machineDetectionV2)
                    .map(UpstreamCampaignFields.MachineDetection.setting)
            } else if setting != "off" {
                check.fail(field, "must be off for \(mode) campaigns (machine detection is agentless only in v2)")
            }
        }
    }
}
