import HTTPServer
import JSONCore
import KoreAdapter

/// The upstream mapping table (the error table of docs/API.md), in one place: an upstream error answer becomes a
/// `Problem` carrying Kore.ai's own errors under `upstream`.
public enum UpstreamOutcomeMapper {
    /// The problem for a non-2xx answer (nil for 2xx, which each operation normalizes in its own shape).
    public static func problem(for response: UpstreamResponse, type: CampaignType, version: UpstreamVersion) -> Problem? {
        let status = response.status
        if (200..<300).contains(status) { return nil }
        var problem: Problem
        switch status {
        case 400, 422:
            problem = Problem(.upstreamRejectedRequest, "Kore.ai rejected the request (HTTP \(status))")
        case 401, 403:
            problem = Problem(.upstreamRejectedCredentials, "Kore.ai refused the gateway's credentials for this tenant; an operator must check them")
        case 404:
            problem = Problem(.campaignNotFound, "no \(type.rawValue) campaign with this id")
        case 409:
            problem = Problem(.conflict, "Kore.ai reported a conflict")
        case 429:
            problem = Problem(.rateLimited, "Kore.ai is rate limiting this account")
            problem.headers.add("Retry-After", retryAfter(response.headers["retry-after"]))
        case 500...599:
            problem = Problem(.upstreamError, "Kore.ai failed (HTTP \(status))")
            if let seconds = UpstreamCaller.retryAfterSeconds(response.headers["retry-after"]) {
                problem.headers.add("Retry-After", String(Int(seconds)))
            }
        case 300..<400:
            problem = Problem(.upstreamBadResponse, "Kore.ai answered with a redirect (HTTP \(status)), which the gateway does not follow")
        default:
            problem = Problem(.upstreamError, "Kore.ai answered HTTP \(status)", retryable: false)
        }
        return withUpstream(problem, response, version)
    }

    /// A 2xx whose body the gateway cannot read in the operation's shape.
    static func badResponse(_ response: UpstreamResponse, _ version: UpstreamVersion) -> Problem {
        withUpstream(Problem(.upstreamBadResponse, "Kore.ai answered \(response.status) with a body the gateway cannot read"), response, version)
    }

    /// Passes a sane upstream Retry-After through; otherwise a conservative default.
    static func retryAfter(_ value: String?) -> String {
        UpstreamCaller.retryAfterSeconds(value).map { String(Int($0)) } ?? "60"
    }

    static func withUpstream(_ problem: Problem, _ response: UpstreamResponse, _ version: UpstreamVersion) -> Problem {
        var problem = problem
        problem.upstream = .object([
            "version": .string(version.rawValue),
            "status": .int(response.status),
            "errors": .array(UpstreamErrorBody.errors(from: response.body, httpStatus: response.status)),
        ])
        return problem
    }
}
