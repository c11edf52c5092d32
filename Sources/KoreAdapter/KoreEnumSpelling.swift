/// The gateway's lowercase enum values and Kore.ai's spelling of each, for writes (reads simply lowercase).
///
/// Kept as small tables so the accepted values, the error messages ("must be one of ...") and the upstream
/// spelling cannot drift apart.
enum KoreEnumSpelling {
    /// `voice.dialingMode` -> `dialingMode`.
    static let dialingMode: [(normalized: String, upstream: String)] = [
        ("agentless", "Agentless"), ("progressive", "Progressive"), ("preview", "Preview"),
    ]
    /// `voice.dialingOrder` -> `dialingStrategy.dialingOrder`.
    static let dialingOrder: [(normalized: String, upstream: String)] = [("fifo", "FIFO"), ("lifo", "LIFO")]
    /// `callingHours.frequency` -> `dialingStrategy.callingHours.frequency`.
    static let frequency: [(normalized: String, upstream: String)] = [
        ("weekly", "WEEKLY"), ("daily", "DAILY"), ("custom", "CUSTOM"),
    ]
    /// `voice.machineDetection` -> v2 agentless `enableMachineDetect`.
    static let machineDetectionV2: [(normalized: String, upstream: String)] = [
        ("off", "no"), ("detect", "detect"), ("disconnect", "disconnect"),
    ]
    /// `sms.format`: Kore.ai's samples use `simple` and `advanced`, its field tables mention `basic`; all three are
    /// passed through lowercase as Kore.ai spells them.
    static let smsFormat: [(normalized: String, upstream: String)] = [
        ("simple", "simple"), ("advanced", "advanced"), ("basic", "basic"),
    ]
    /// Two-letter day codes, upper case in both shapes (the gateway keeps Kore.ai's spelling).
    static let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    // The accepted values of each table, listed once (a write checks several per body).
    static let dialingModeNames = names(dialingMode)
    static let dialingOrderNames = names(dialingOrder)
    static let machineDetectionV2Names = names(machineDetectionV2)
    static let smsFormatNames = names(smsFormat)

    static func names(_ table: [(normalized: String, upstream: String)]) -> [String] {
        table.map(\.normalized)
    }

    static func upstream(_ normalized: String, in table: [(normalized: String, upstream: String)]) -> String? {
        table.first { $0.normalized == normalized }?.upstream
    }
}
