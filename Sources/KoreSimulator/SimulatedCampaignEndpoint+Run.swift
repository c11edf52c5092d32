import HTTPServer
import JSONCore

extension SimulatedCampaignEndpoint {
    /// States a campaign can be started from, and stopped from. Anything else is a 409 (the simulator's choice:
    /// Kore.ai documents no error for starting a running campaign).
    static let startable: Set<String> = ["Ready", "Stopped", "Paused", "Completed", "Scheduled", "Rescheduled"]
    static let stoppable: Set<String> = ["Active", "Paused", "Scheduled", "Rescheduled"]

    /// `POST` start/stop (`?campaignType=&trigger=play|stop`, body `{}`): Kore.ai's flat answers, `status` holding
    /// the campaign's new state. Voice starts open a new instance (`campaignInstanceId`, `totalCallsCompleted`);
    /// SMS answers carry neither, and an SMS stop names `campaignExecutionType` instead.
    func trigger(_ context: Context, id: String, state: inout SimulatorState) -> HTTPResponse {
        let type: SimulatedCampaignType?
        switch campaignType(context.request, required: true) {
        case .failure(let error): return error.response
        case .success(let found): type = found
        }
        let trigger = context.request.queryParameter("trigger")
        guard trigger == "play" || trigger == "stop" else {
            return KoreError.badRequest("trigger query parameter must be play or stop").response
        }
        guard var record = state.stores[context.streamId]?.record(id: id), record.type == type else {
            return KoreError.notFound.response
        }
        let now = context.timestamp
        var answer = JSONObject()
        if trigger == "play" {
            guard Self.startable.contains(record.status) else {
                return KoreError(status: 409, message: "Campaign \(record.name) cannot be started while \(record.status)").response
            }
            record.set("status", .string("Active"), updatedAt: now)
            answer["status"] = .string("Active")
            answer["message"] = .string("Campaign Started")
            answer["updatedAt"] = .string(now)
            if record.type == .voice {
                let instance = Self.newInstanceId()
                record.set("campaignInstanceId", .string(instance))
                answer["totalCallsCompleted"] = .int(0)
                answer["campaignInstanceId"] = .string(instance)
            }
        } else {
            guard Self.stoppable.contains(record.status) else {
                return KoreError(status: 409, message: "Campaign \(record.name) is not running (\(record.status))").response
            }
            record.set("status", .string("Stopped"), updatedAt: now)
            answer["status"] = .string("Stopped")
            answer["message"] = .string("Campaign Stopped")
            answer["updatedAt"] = .string(now)
            if record.type == .voice {
                answer["campaignInstanceId"] = record.fields["campaignInstanceId"] ?? .null
            } else {
                answer["campaignExecutionType"] = .string("NORMAL")
            }
        }
        state.stores[context.streamId]?.put(record)
        return success(answer)
    }

    /// `POST .../campaign/{id}/status?view=status`: `{status: "success", data: {id, status, name}}`, no message.
    /// Kore.ai's status call names no type, so none is checked.
    func status(_ context: Context, id: String, state: SimulatorState) -> HTTPResponse {
        guard let record = state.stores[context.streamId]?.record(id: id) else { return KoreError.notFound.response }
        return success([
            "status": .string("success"),
            "data": .object(["id": .string(record.id), "status": .string(record.status), "name": .string(record.name)]),
        ])
    }
}
