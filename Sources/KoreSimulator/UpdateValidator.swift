import HTTPServer
import JSONCore

/// Checks a PUT body the way Kore.ai's update pages describe, collecting every problem (Kore.ai lists them all in
/// `errors`), so the gateway's own validation and its mapping of writes can be caught out.
///
/// Enum values are checked in Kore.ai's spelling (`Preview`, `WEEKLY`, `FIFO`): a gateway that forgets to map its
/// lowercase names back gets a 400 here, as it would from Kore.ai.
struct UpdateValidator: Sendable {
    static let maxNameLength = 48
    static let maxDescriptionLength = 256
    static let dialingModes: Set<String> = ["Agentless", "Progressive", "Preview"]
    static let frequencies: Set<String> = ["WEEKLY", "DAILY", "CUSTOM"]
    static let dialingOrders: Set<String> = ["FIFO", "LIFO"]
    static let days: Set<String> = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    static let agentlessMachineDetection: Set<String> = ["no", "detect", "disconnect"]

    /// The type named by the `campaignType` query (already known to match the record).
    let campaignType: SimulatedCampaignType
    /// The URL scheme the PUT came in on.
    let shape: APIVersionShape
    /// A create (POST) also checks what Kore.ai's create pages require per dialing mode and SMS format.
    var creating = false
    /// The queue the record holds (an update that names none keeps it; Kore.ai never shows it on a read).
    var storedQueue: String?

    /// The body as a JSON object, or a 400 listing every problem.
    func validate(_ request: HTTPRequest) -> Result<JSONObject, KoreError> {
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            // Kore.ai's Express body parser ignores other types, leaving an empty body: say so directly instead.
            return .failure(.badRequest("Content-Type must be application/json"))
        }
        guard let parsed = try? JSONReader.parse(request.body) else {
            return .failure(.badRequest("Request body is not valid JSON"))
        }
        guard case .object(let body) = parsed else {
            return .failure(.badRequest("Request body must be a JSON object"))
        }
        let problems = problems(in: body)
        return problems.isEmpty ? .success(body) : .failure(KoreError(status: 400, messages: problems))
    }

    /// Every problem with the body, in field order of Kore.ai's page.
    func problems(in body: JSONObject) -> [String] {
        var problems: [String] = []
        switch body["campaignType"]?.stringValue {
        case nil:
            problems.append("campaignType is required")
        case let value? where value != campaignType.rawValue:
            problems.append("campaignType '\(value)' in the body does not match campaignType '\(campaignType.rawValue)' in the query")
        default:
            break
        }
        if let name = body["name"]?.stringValue, !name.isEmpty {
            if name.utf16.count > Self.maxNameLength { problems.append("name must be at most \(Self.maxNameLength) characters") }
        } else {
            problems.append("name is required and must be a non-empty string")
        }
        if let description = body["description"] {
            if let text = description.stringValue {
                if text.utf16.count > Self.maxDescriptionLength {
                    problems.append("description must be at most \(Self.maxDescriptionLength) characters")
                }
            } else if !description.isNull {
                problems.append("description must be a string")
            }
        }
        let lists = body["contactLists"]?.arrayValue ?? []
        if lists.isEmpty || !lists.allSatisfy({ !($0.stringValue ?? "").isEmpty }) {
            problems.append("contactLists must be a non-empty array of contact list names")
        }
        if let priority = body["priority"]?.stringValue, ["1", "2", "3", "4", "5"].contains(priority) {
            // fine: Kore.ai takes the priority as a string
        } else {
            problems.append("priority is required and must be one of \"1\", \"2\", \"3\", \"4\", \"5\" (a string)")
        }
        if case .object(let strategy)? = body["dialingStrategy"] {
            problems += strategyProblems(strategy)
        } else {
            problems.append("dialingStrategy is required and must be an object")
        }
        if campaignType == .voice { problems += voiceProblems(body) }
        if creating { problems += createProblems(body) }
        return problems
    }

    /// Kore.ai's create pages: agentless needs `experienceFlowName`, progressive and preview `queue_name`, preview
    /// `maxSkips`; SMS `advanced` needs `experienceFlowName`, the others a `message.message` and, with a template, its
    /// `template_name`.
    private func createProblems(_ body: JSONObject) -> [String] {
        func has(_ value: JSONValue?) -> Bool { !(value?.stringValue ?? "").isEmpty }
        var problems: [String] = []
        switch campaignType {
        case .voice:
            switch body["dialingMode"]?.stringValue {
            case "Agentless":
                if !has(body["experienceFlowName"]) { problems.append("experienceFlowName is required for Agentless campaigns") }
            case "Progressive", "Preview":
                if !has(body["queue_name"]) { problems.append("queue_name is required for Progressive and Preview campaigns") }
                if body["dialingMode"]?.stringValue == "Preview", body["maxSkips"]?.intValue == nil {
                    problems.append("maxSkips is required for Preview campaigns")
                }
            default:
                break
            }
        case .sms:
            let format = body["format"]?.stringValue
            if !["simple", "advanced", "basic"].contains(format ?? "") {
                problems.append("format is required and must be simple or advanced")
            } else if format == "advanced" {
                if !has(body["experienceFlowName"]) { problems.append("experienceFlowName is required for the advanced format") }
            } else {
                let message = body["message"]?.objectValue
                if has(message?["templateId"]) && !has(message?["template_name"]) {
                    problems.append("message.template_name is required when using a template")
                }
                if !has(message?["message"]) && !has(message?["template_name"]) {
                    problems.append("message.message is required")
                }
            }
        }
        return problems
    }

    private func strategyProblems(_ strategy: JSONObject) -> [String] {
        var problems: [String] = []
        if let hours = strategy["callingHours"] {
            if let frequency = hours["frequency"], !Self.frequencies.contains(frequency.stringValue ?? "") {
                problems.append("dialingStrategy.callingHours.frequency must be one of WEEKLY, DAILY, CUSTOM")
            }
            if let days = hours["days"] {
                let valid = days.arrayValue?.allSatisfy { Self.days.contains($0["day"]?.stringValue ?? "") } ?? false
                if !valid { problems.append("dialingStrategy.callingHours.days must list days MO, TU, WE, TH, FR, SA or SU") }
            }
        }
        if let order = strategy["dialingOrder"], !Self.dialingOrders.contains(order.stringValue ?? "") {
            problems.append("dialingStrategy.dialingOrder must be FIFO or LIFO")
        }
        return problems
    }

    private func voiceProblems(_ body: JSONObject) -> [String] {
        var problems: [String] = []
        let mode = body["dialingMode"]?.stringValue
        if mode == nil || !Self.dialingModes.contains(mode ?? "") {
            problems.append("dialingMode is required and must be one of Agentless, Progressive, Preview")
        }
        if shape.voiceUpdateRequiresDncLists {
            // An object names the DNC list; `[]` says there is none (how a caller without one satisfies "required").
            let none: Bool
            if case .array(let items)? = body["dncLists"] { none = items.isEmpty } else { none = false }
            if body["dncLists"]?.objectValue == nil && !none {
                problems.append("dncLists is required and must be an object (or [] for none)")
            }
        }
        if !creating, mode == "Progressive" || mode == "Preview" {
            let given = !(body["queue_name"]?.stringValue ?? "").isEmpty
            if !given && (storedQueue ?? "").isEmpty {
                problems.append("queue_name is required for Progressive and Preview campaigns")
            }
        }
        guard let detect = body["enableMachineDetect"] else { return problems }
        switch shape.machineDetection {
        case .boolean:
            if detect.boolValue == nil { problems.append("enableMachineDetect must be true or false") }
        case .agentlessEnum:
            if mode == "Agentless" {
                if !Self.agentlessMachineDetection.contains(detect.stringValue ?? "") {
                    problems.append("enableMachineDetect must be one of no, detect, disconnect")
                }
            } else if mode != nil {
                problems.append("enableMachineDetect is only allowed for the Agentless dialing mode")
            }
        }
        return problems
    }
}
