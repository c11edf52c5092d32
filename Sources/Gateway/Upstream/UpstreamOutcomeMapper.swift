import HTTPServer
import JSONCore
import KoreAdapter

/// The upstream mapping table (the README's error table), in one place: an upstream answer becomes either the normalized success
/// envelope or a `Problem` carrying Kore.ai's own errors under `upstream`.
public enum UpstreamOutcomeMapper {
    public struct Success: Sendable {
        public var body: [UInt8]
        public var unknownFields: [String]
    }

    public static func map(_ response: UpstreamResponse, operation: CampaignOperation, type: CampaignType,
                           version: UpstreamVersion) -> Result<Success, Problem> {
        let status = response.status
        if (200..<300).contains(status) {
            do {
                let normalized = try CampaignNormalizer.normalize(upstreamBody: response.body, operation: operation,
                                                                  type: type, version: version)
                return .success(Success(body: normalized.body, unknownFields: normalized.unknownFields))
            } catch {
                return .failure(withUpstream(Problem(.upstreamBadResponse, "Kore.ai answered \(status) with a body the gateway cannot read"), response, version))
            }
        }
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
        return .failure(withUpstream(problem, response, version))
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

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
