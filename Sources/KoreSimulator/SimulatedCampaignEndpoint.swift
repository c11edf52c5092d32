import HTTPServer
import JSONCore

/// Kore.ai's campaign-by-id API (get, update, delete) over the in-memory store, for both URL schemes.
///
/// Pure over `SimulatorState`: the caller holds the lock, so a request's checks and its effect are one atomic step.
/// Checks run in Kore.ai's order: route, method, credentials, v2 `accountId` query, `campaignType`
/// query, the record (404 when missing or of another type), then the PUT body.
struct SimulatedCampaignEndpoint: Sendable {
    let authenticator: RequestAuthenticator

    /// The answer to a request whose path matched `route`.
    func respond(to request: HTTPRequest, route: SimulatedRoute, state: inout SimulatorState, now: Int) -> HTTPResponse {
        guard let operation = SimulatedRoute.operation(for: request.method) else {
            var response = KoreError(status: 405, message: "Method \(request.method) is not allowed on this resource").response
            response.headers.replace("Allow", SimulatedRoute.allowedMethods.joined(separator: ", "))
            return response
        }
        let tenant: SimulatorTenant
        switch authenticator.authenticate(request, pathStreamId: route.streamId, now: now, jtis: &state.jtis) {
        case .success(let found): tenant = found
        case .failure(let error): return error.response
        }
        if route.shape.requiresAccountIdQuery {
            guard let accountId = request.queryParameter("accountId"), !accountId.isEmpty else {
                return KoreError.badRequest("accountId query parameter is required").response
            }
            guard accountId == tenant.accountId else {
                return KoreError.unauthorized("accountId query parameter does not match the app's account").response
            }
        }
        let requestedType: SimulatedCampaignType?
        switch request.queryParameter("campaignType") {
        case nil where operation.requiresCampaignType:
            return KoreError.badRequest("campaignType query parameter is required (voice or sms)").response
        case nil:
            requestedType = nil
        case let value?:
            guard let type = SimulatedCampaignType(queryValue: value) else {
                return KoreError.badRequest("campaignType must be voice or sms").response
            }
            requestedType = type
        }
        // Every tenant's store exists from init on; mutations go through the dictionary in place (no copy of the store).
        let streamId = tenant.streamId
        // A record of the other type is as good as absent: Kore.ai looks campaigns up by id and type together.
        guard let record = state.stores[streamId]?.record(id: route.campaignId),
              requestedType.map({ $0 == record.type }) ?? true else {
            return KoreError.notFound.response
        }
        switch operation {
        case .get:
            return success(["status": .string("success"), "data": .object(route.shape.render(record))])
        case .delete:
            _ = state.stores[streamId]?.remove(id: record.id)
            return success([
                "status": .string("success"),
                "message": .string("Campaign \(record.name) deleted successfully"),
                "data": .object(route.shape.render(record)),
            ])
        case .update:
            let validator = UpdateValidator(campaignType: record.type, shape: route.shape)
            let body: JSONObject
            switch validator.validate(request) {
            case .success(let valid): body = valid
            case .failure(let error): return error.response
            }
            var updated = record
            updated.replaceWritableFields(with: body, preserving: route.shape.hiddenFields,
                                          updatedAt: ISOTimestamp.string(epochSeconds: now))
            state.stores[streamId]?.put(updated)
            let message = "Campaign \(updated.name) details updated successfully"
            return KoreError.jsonResponse(status: 200, body: route.shape.updateResponseBody(updated, message: message))
        }
    }

    private func success(_ object: JSONObject) -> HTTPResponse {
        KoreError.jsonResponse(status: 200, body: .object(object))
    }
}
