import HTTPServer
import JSONCore

/// Kore.ai's campaign API over the in-memory store, for both URL schemes: get, update and delete by id, create, list,
/// start/stop, status and (v2) schedules.
///
/// Pure over `SimulatorState`: the caller holds the lock, so a request's checks and its effect are one atomic step.
/// Checks run in Kore.ai's order: route, method, credentials, v2 `accountId` query, `campaignType` query, the record
/// (404 when missing or of another type), then the body.
struct SimulatedCampaignEndpoint: Sendable {
    let authenticator: RequestAuthenticator

    /// The answer to a request whose path matched `route`.
    func respond(to request: HTTPRequest, route: SimulatedRoute, state: inout SimulatorState, now: Int) -> HTTPResponse {
        let allowed = route.resource.allowedMethods
        guard allowed.contains(request.method) else {
            var response = KoreError(status: 405, message: "Method \(request.method) is not allowed on this resource").response
            response.headers.replace("Allow", allowed.joined(separator: ", "))
            return response
        }
        let tenant: SimulatorTenant
        switch authenticator.authenticate(request, pathStreamId: route.streamId, now: now, jtis: &state.jtis) {
        case .success(let found): tenant = found
        case .failure(let error): return error.response
        }
        if route.shape.requiresAccountIdQuery {
            let accountId = request.queryParameter("accountId")
            // The schedule page's URL shows no accountId; the simulator accepts it absent there, never wrong.
            if accountId == nil && route.resource == .schedule {
                // fine
            } else if accountId == nil || accountId?.isEmpty == true {
                return KoreError.badRequest("accountId query parameter is required").response
            } else if accountId != tenant.accountId {
                return KoreError.unauthorized("accountId query parameter does not match the app's account").response
            }
        }
        let streamId = tenant.streamId
        // Every tenant's store exists from init on; mutations go through the dictionary in place (no copy of the store).
        state.stores[streamId]?.finishPreparing()
        let context = Context(request: request, route: route, streamId: streamId, now: now)
        switch route.resource {
        case .campaign(let id): return campaignByID(context, id: id, state: &state)
        case .collection: return create(context, state: &state)
        case .list: return list(context, state: state)
        case .status(let id): return status(context, id: id, state: state)
        case .trigger(let id): return trigger(context, id: id, state: &state)
        case .schedule: return schedule(context, state: &state)
        }
    }

    /// What every operation handler needs besides the state.
    struct Context {
        let request: HTTPRequest
        let route: SimulatedRoute
        let streamId: String
        let now: Int
        var timestamp: String { ISOTimestamp.string(epochSeconds: now) }
    }

    /// The `campaignType` query: required where `required`, else optional; nil type when absent.
    func campaignType(_ request: HTTPRequest, required: Bool) -> Result<SimulatedCampaignType?, KoreError> {
        guard let value = request.queryParameter("campaignType") else {
            return required ? .failure(.badRequest("campaignType query parameter is required (voice or sms)")) : .success(nil)
        }
        guard let type = SimulatedCampaignType(queryValue: value) else {
            return .failure(.badRequest("campaignType must be voice or sms"))
        }
        return .success(type)
    }

    private func campaignByID(_ context: Context, id: String, state: inout SimulatorState) -> HTTPResponse {
        guard let operation = SimulatedOperation(method: context.request.method) else { return KoreError.notFound.response }
        let requestedType: SimulatedCampaignType?
        switch campaignType(context.request, required: operation.requiresCampaignType) {
        case .failure(let error): return error.response
        case .success(let type): requestedType = type
        }
        let streamId = context.streamId
        // A record of the other type is as good as absent: Kore.ai looks campaigns up by id and type together.
        guard let record = state.stores[streamId]?.record(id: id),
              requestedType.map({ $0 == record.type }) ?? true else {
            return KoreError.notFound.response
        }
        let shape = context.route.shape
        switch operation {
        case .get:
            return success([
                "status": .string("success"),
                "message": .string("Campaign \(record.name) retrieved successfully"),
                "data": .object(shape.render(record)),
            ])
        case .delete:
            _ = state.stores[streamId]?.remove(id: record.id)
            return success([
                "status": .string("success"),
                "message": .string("Campaign \(record.name) deleted successfully"),
                "data": .object(shape.render(record)),
            ])
        case .update:
            var validator = UpdateValidator(campaignType: record.type, shape: shape)
            validator.storedQueue = record.fields["queue_name"]?.stringValue
            let body: JSONObject
            switch validator.validate(context.request) {
            case .success(let valid): body = valid
            case .failure(let error): return error.response
            }
            var updated = record
            updated.replaceWritableFields(with: body, preserving: shape.keptWhenAbsent,
                                          preservingStrategy: shape.hiddenStrategyFields, updatedAt: context.timestamp)
            state.stores[streamId]?.put(updated)
            let message = "Campaign \(updated.name) details updated successfully"
            return KoreError.jsonResponse(status: 200, body: shape.updateResponseBody(updated, message: message))
        }
    }

    func success(_ object: JSONObject) -> HTTPResponse {
        KoreError.jsonResponse(status: 200, body: .object(object))
    }
}
