import HTTPServer
import JSONCore

extension SimulatedCampaignEndpoint {
    static let scheduleDays: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// v2 `POST .../campaign/schedule?enableSchedule=true|false&campaignName=`: keyed by campaign **name**, as
    /// Kore.ai's schedule pages are. Enabling checks the body (`startDateTime`/`endDateTime` as
    /// `YYYY-MM-DD HH:mm:ss`, end after start, `recurrenceObject` Daily or Weekly with its details) and stores it in
    /// the record's `schedule`; disabling clears it. A name held by several campaigns is a 409 (the simulator's
    /// choice; Kore.ai does not say whether names are unique).
    func schedule(_ context: Context, state: inout SimulatorState) -> HTTPResponse {
        let enable = context.request.queryParameter("enableSchedule")
        guard enable == "true" || enable == "false" else {
            return KoreError.badRequest("enableSchedule query parameter must be true or false").response
        }
        guard let name = context.request.queryParameter("campaignName"), !name.isEmpty else {
            return KoreError.badRequest("campaignName query parameter is required").response
        }
        let body: JSONObject
        switch Self.jsonObjectBody(context.request, emptyIsObject: true) {
        case .failure(let error): return error.response
        case .success(let object): body = object
        }
        let matches = state.stores[context.streamId]?.records(named: name) ?? []
        guard !matches.isEmpty else { return KoreError.notFound.response }
        guard matches.count == 1, var record = matches.first else {
            return KoreError(status: 409, message: "Several campaigns are named \(name)").response
        }
        var schedule: JSONObject = ["isSchedulingEnabled": .bool(false), "isRecurrenceEnabled": .bool(false)]
        let message: String
        if enable == "true" {
            let problems = Self.scheduleProblems(body)
            guard problems.isEmpty else { return KoreError(status: 400, messages: problems).response }
            schedule = ["isSchedulingEnabled": .bool(true), "isRecurrenceEnabled": .bool(true)]
            for key in ["startDateTime", "endDateTime", "recurrenceObject"] { schedule[key] = body[key] }
            message = "Campaign \(record.name) scheduled successfully"
        } else {
            message = "Campaign \(record.name) schedule has been disabled successfully"
        }
        record.set("schedule", .object(schedule), updatedAt: context.timestamp)
        state.stores[context.streamId]?.put(record)
        return success(["status": .string("success"), "message": .string(message), "id": .string(record.id)])
    }

    static func scheduleProblems(_ body: JSONObject) -> [String] {
        var problems: [String] = []
        let start = body["startDateTime"]?.stringValue, end = body["endDateTime"]?.stringValue
        for (name, value) in [("startDateTime", start), ("endDateTime", end)] where !isScheduleTime(value) {
            problems.append("\(name) is required as YYYY-MM-DD HH:mm:ss")
        }
        if let start, let end, isScheduleTime(start), isScheduleTime(end), !(start < end) {
            problems.append("endDateTime must be later than startDateTime")
        }
        guard let recurrence = body["recurrenceObject"]?.objectValue else {
            problems.append("recurrenceObject is required")
            return problems
        }
        switch recurrence["recurType"]?.stringValue {
        case "Daily":
            if (recurrence["dailyDetails"]?["onceEveryNdays"]?.intValue ?? 0) < 1 {
                problems.append("recurrenceObject.dailyDetails.onceEveryNdays must be a positive integer")
            }
        case "Weekly":
            let weekly = recurrence["weeklyDetails"]
            if (weekly?["onceEveryNweeks"]?.intValue ?? 0) < 1 {
                problems.append("recurrenceObject.weeklyDetails.onceEveryNweeks must be a positive integer")
            }
            let days = weekly?["whichDays"]?.arrayValue ?? []
            if days.isEmpty || !days.allSatisfy({ scheduleDays.contains($0.stringValue ?? "") }) {
                problems.append("recurrenceObject.weeklyDetails.whichDays must list days Mon..Sun")
            }
        default:
            problems.append("recurrenceObject.recurType must be Daily or Weekly")
        }
        return problems
    }

    /// `YYYY-MM-DD HH:mm:ss`, digits where digits belong.
    static func isScheduleTime(_ value: String?) -> Bool {
        guard let bytes = value.map({ Array($0.utf8) }), bytes.count == 19 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 4, 7: if byte != UInt8(ascii: "-") { return false }
            case 10: if byte != UInt8(ascii: " ") { return false }
            case 13, 16: if byte != UInt8(ascii: ":") { return false }
            default: if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { return false }
            }
        }
        return true
    }
}
