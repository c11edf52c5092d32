/// Every stable `code` the gateway can answer with, one per cause, with its HTTP status, title and retryability.
/// Callers switch on `code`; these strings are a public contract (documented in openapi/ and docs/API.md).
public enum ProblemCode: String, Sendable, CaseIterable {
    // Caller errors
    case unauthorized
    case insufficientScope = "insufficient_scope"
    case tenantForbidden = "tenant_forbidden"
    case tenantRequired = "tenant_required"
    case invalidCampaignId = "invalid_campaign_id"
    case invalidJSON = "invalid_json"
    case unsupportedMediaType = "unsupported_media_type"
    case validationFailed = "validation_failed"
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case invalidQuery = "invalid_query"
    case invalidPrecondition = "invalid_precondition"
    case preconditionFailed = "precondition_failed"
    case notSupportedUpstream = "not_supported_upstream"
    case invalidIdempotencyKey = "invalid_idempotency_key"
    case idempotencyKeyInUse = "idempotency_key_in_use"
    case idempotencyKeyReused = "idempotency_key_reused"
    // Upstream outcomes (the error table of docs/API.md)
    case campaignNotFound = "campaign_not_found"
    case conflict
    case rateLimited = "rate_limited"
    case upstreamRejectedRequest = "upstream_rejected_request"
    case upstreamRejectedCredentials = "upstream_rejected_credentials"
    case upstreamBadResponse = "upstream_bad_response"
    case upstreamError = "upstream_error"
    case upstreamTimeout = "upstream_timeout"
    case upstreamUnavailable = "upstream_unavailable"
    case upstreamConnectionLost = "upstream_connection_lost"
    // Refused by the HTTP server before routing (the codes of `HTTPRejection`)
    case badRequest = "bad_request"
    case bodyTooLarge = "body_too_large"
    case headerTooLarge = "header_too_large"
    case uriTooLong = "uri_too_long"
    case requestTimeout = "request_timeout"
    case unsupportedTransferEncoding = "unsupported_transfer_encoding"
    case httpVersionNotSupported = "http_version_not_supported"
    case tooManyConnections = "too_many_connections"
    // Gateway state
    case internalError = "internal_error"
    /// The shared store of Idempotency-Key records cannot be reached: the gateway will not promise what it cannot keep.
    case idempotencyUnavailable = "idempotency_unavailable"

    public var status: Int {
        switch self {
        case .unauthorized: return 401
        case .insufficientScope, .tenantForbidden: return 403
        case .tenantRequired, .invalidCampaignId, .invalidJSON, .upstreamRejectedRequest, .invalidQuery, .invalidPrecondition,
             .invalidIdempotencyKey: return 400
        case .idempotencyKeyInUse: return 409
        case .idempotencyKeyReused: return 422
        case .idempotencyUnavailable: return 503
        case .preconditionFailed: return 412
        case .notSupportedUpstream: return 501
        case .unsupportedMediaType: return 415
        case .validationFailed: return 422
        case .notFound, .campaignNotFound: return 404
        case .methodNotAllowed: return 405
        case .conflict: return 409
        case .rateLimited: return 429
        case .upstreamRejectedCredentials, .upstreamBadResponse, .upstreamError, .upstreamUnavailable, .upstreamConnectionLost: return 502
        case .upstreamTimeout: return 504
        case .badRequest: return 400
        case .bodyTooLarge: return 413
        case .headerTooLarge: return 431
        case .uriTooLong: return 414
        case .requestTimeout: return 408
        case .unsupportedTransferEncoding: return 501
        case .httpVersionNotSupported: return 505
        case .tooManyConnections: return 503
        case .internalError: return 500
        }
    }

    public var title: String {
        switch self {
        case .unauthorized: return "Missing or invalid API key"
        case .insufficientScope: return "The API key lacks the scope for this operation"
        case .tenantForbidden: return "The API key may not use this tenant"
        case .tenantRequired: return "X-Tenant is required for this API key"
        case .invalidCampaignId: return "Invalid campaign id"
        case .invalidJSON: return "Request body is not valid JSON"
        case .unsupportedMediaType: return "Unsupported media type"
        case .validationFailed: return "Request body failed validation"
        case .notFound: return "Not found"
        case .methodNotAllowed: return "Method not allowed"
        case .invalidQuery: return "Invalid query parameter"
        case .invalidPrecondition: return "Malformed precondition header"
        case .preconditionFailed: return "The campaign changed since it was read"
        case .notSupportedUpstream: return "Kore.ai does not offer this operation for the tenant's API version"
        case .invalidIdempotencyKey: return "Invalid Idempotency-Key"
        case .idempotencyKeyInUse: return "A request with this Idempotency-Key is still running"
        case .idempotencyKeyReused: return "This Idempotency-Key was used for a different request"
        case .idempotencyUnavailable: return "Idempotency-Key records are unavailable"
        case .campaignNotFound: return "Campaign not found"
        case .conflict: return "Conflict"
        case .rateLimited: return "Too many requests for this Kore.ai account"
        case .upstreamRejectedRequest: return "Kore.ai rejected the request"
        case .upstreamRejectedCredentials: return "Kore.ai rejected the gateway's credentials"
        case .upstreamBadResponse: return "Kore.ai sent a response the gateway cannot read"
        case .upstreamError: return "Kore.ai failed"
        case .upstreamTimeout: return "Kore.ai did not answer in time"
        case .upstreamUnavailable: return "Kore.ai is unreachable"
        case .upstreamConnectionLost: return "The connection to Kore.ai was lost"
        case .badRequest: return "Malformed HTTP request"
        case .bodyTooLarge: return "Request body too large"
        case .headerTooLarge: return "Request header fields too large"
        case .uriTooLong: return "Request target too long"
        case .requestTimeout: return "The request was not received in time"
        case .unsupportedTransferEncoding: return "Unsupported transfer coding"
        case .httpVersionNotSupported: return "HTTP version not supported"
        case .tooManyConnections: return "Too many connections"
        case .internalError: return "Internal error"
        }
    }

    /// Whether the same request, sent again later, can succeed without the caller changing anything.
    public var retryable: Bool {
        switch self {
        case .rateLimited, .upstreamError, .upstreamTimeout, .upstreamUnavailable, .requestTimeout, .tooManyConnections,
             .idempotencyKeyInUse, .idempotencyUnavailable: return true
        default: return false
        }
    }

    /// RFC 9457 `type`: a relative reference docs/API.md documents.
    public var typeURI: String { "/problems/" + rawValue.replacing("_", with: "-") }
}
