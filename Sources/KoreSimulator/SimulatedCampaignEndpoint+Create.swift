import GatewayCrypto
import HTTPServer
import JSONCore

extension SimulatedCampaignEndpoint {
    /// `POST .../campaign?campaignType=`: validates as Kore.ai's create pages describe, stores the record (voice
    /// `Preparing`, SMS `Ready`) and answers in the version's create shape (`APIVersionShape.createResponseBody`).
    func create(_ context: Context, state: inout SimulatorState) -> HTTPResponse {
        let type: SimulatedCampaignType
        switch campaignType(context.request, required: true) {
        case .failure(let error): return error.response
        case .success(let found):
            guard let found else { return KoreError.badRequest("campaignType query parameter is required (voice or sms)").response }
            type = found
        }
        var validator = UpdateValidator(campaignType: type, shape: context.route.shape)
        validator.creating = true
        let body: JSONObject
        switch validator.validate(context.request) {
        case .success(let valid): body = valid
        case .failure(let error): return error.response
        }
        let record = CampaignRecord(createdFrom: body, id: Self.newCampaignId(), type: type,
                                    status: type == .voice ? "Preparing" : "Ready", now: context.timestamp)
        state.stores[context.streamId]?.put(record)
        return KoreError.jsonResponse(status: 200, body: context.route.shape.createResponseBody(record))
    }

    /// A fresh id in Kore.ai's `cd-` form (random, so ids never repeat across resets or processes).
    static func newCampaignId() -> String {
        let hex = SecureRandom.hexString(byteCount: 16)
        let chars = Array(hex)
        func part(_ range: Range<Int>) -> String { String(chars[range]) }
        return "cd-\(part(0..<8))-\(part(8..<12))-\(part(12..<16))-\(part(16..<20))-\(part(20..<32))"
    }

    /// A fresh campaign instance id (`cid-...`), as a voice start creates one.
    static func newInstanceId() -> String {
        "cid-" + String(newCampaignId().dropFirst(3))
    }
}
