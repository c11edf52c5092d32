import GatewayConfiguration
import KoreAdapter

/// One operation of the gateway's campaign API: the single row that routing, 405 `Allow` lists, scopes, audit,
/// pacing, dry runs, retries, metrics route labels and the OpenAPI consistency test all read.
///
/// Adding an operation is one row in `table` plus its Kore.ai mapping in KoreAdapter (a `CampaignOperation` case,
/// its rows in `UpstreamScheme`, and the translator of its body and answer).
public struct GatewayOperation: Sendable, Equatable {
    /// What the request body is.
    public enum Body: Sendable, Equatable {
        /// None is read (one sent is ignored).
        case none
        /// A normalized campaign, validated for an update or a create.
        case campaign(CampaignWriteTranslator.Purpose)
        /// A schedule (`start`, `end`, `recurrence`).
        case schedule
    }

    /// What the query may hold besides `dryRun`.
    public enum Query: Sendable, Equatable {
        case dryRunOnly
        /// `page`, `limit`, `status`, `priority`, `dialingMode`, `sort`.
        case list
    }

    /// The shape of a success answer.
    public enum Answer: Sendable, Equatable {
        /// `{"campaign", "message"}`.
        case campaign
        /// `{"campaigns", "page", "limit", "total", "totalPages", "hasMore"}`.
        case list
        /// `{"run", "message"}`.
        case run
        /// `{"schedule", "message"}`.
        case schedule
    }

    /// The OpenAPI `operationId`, also the audit record's `operation` and the log's.
    public let id: String
    public let method: String
    public let path: CampaignPath.Shape
    public let scope: GatewayConfig.Scope
    /// The Kore.ai call that does the work.
    public let upstream: CampaignOperation
    /// Whether it changes a campaign: audited, never resent once any byte went out, `If-Match` honoured.
    public let writes: Bool
    public let body: Body
    public let query: Query
    public let answer: Answer
    public let successStatus: Int
    /// The campaign is read first to learn its name (Kore.ai keys schedules by name), whether or not `If-Match` is sent.
    public let readsNameFirst: Bool
    /// The campaign is read first to check its type: Kore.ai's call names no type and its answer states none (status),
    /// so without the read an SMS route would answer for a voice campaign.
    public let readsTypeFirst: Bool
    /// GET one: answers with an `ETag` and honours `If-None-Match`.
    public let tagged: Bool

    /// Whether `If-Match` is honoured: on every write to an existing campaign (not on create, which has none yet).
    public var honorsIfMatch: Bool { writes && path != .collection }
    /// Whether a lost connection may be answered by sending the call again: only for calls that change nothing.
    public var resendable: Bool { !writes }

    public static let table: [GatewayOperation] = [
        row("getCampaign", "GET", .campaign, .read, .get, answer: .campaign, tagged: true),
        row("listCampaigns", "GET", .collection, .read, .list, query: .list, answer: .list),
        row("createCampaign", "POST", .collection, .create, .create, writes: true, body: .campaign(.create), answer: .campaign, status: 201),
        row("updateCampaign", "PUT", .campaign, .update, .update, writes: true, body: .campaign(.update), answer: .campaign),
        row("deleteCampaign", "DELETE", .campaign, .delete, .delete, writes: true, answer: .campaign),
        row("startCampaign", "POST", .start, .control, .start, writes: true, answer: .run),
        row("stopCampaign", "POST", .stop, .control, .stop, writes: true, answer: .run),
        row("getCampaignStatus", "GET", .status, .read, .status, answer: .run, readsType: true),
        row("enableCampaignSchedule", "PUT", .schedule, .control, .schedule, writes: true, body: .schedule, answer: .schedule, readsName: true),
        row("disableCampaignSchedule", "DELETE", .schedule, .control, .unschedule, writes: true, answer: .schedule, readsName: true),
    ]

    /// The row for `method` on `shape`, if any.
    public static func find(method: String, path shape: CampaignPath.Shape) -> GatewayOperation? {
        // By index: `first(where:)` copied every row it looked at (about 80 instructions a row, five a DELETE).
        for i in table.indices where table[i].path == shape && table[i].method == method { return table[i] }
        return nil
    }

    /// The `Allow` value for a path shape: its methods, sorted.
    public static func allowedMethods(for shape: CampaignPath.Shape) -> String {
        table.filter { $0.path == shape }.map(\.method).sorted().joined(separator: ", ")
    }

    /// Every method some campaign route serves (for `OPTIONS *`).
    public static var allMethods: Set<String> { Set(table.map(\.method)) }

    private static func row(_ id: String, _ method: String, _ path: CampaignPath.Shape, _ scope: GatewayConfig.Scope,
                            _ upstream: CampaignOperation, writes: Bool = false, body: Body = .none, query: Query = .dryRunOnly,
                            answer: Answer, status: Int = 200, readsName: Bool = false, readsType: Bool = false,
                            tagged: Bool = false) -> GatewayOperation {
        GatewayOperation(id: id, method: method, path: path, scope: scope, upstream: upstream, writes: writes, body: body,
                         query: query, answer: answer, successStatus: status, readsNameFirst: readsName,
                         readsTypeFirst: readsType, tagged: tagged)
    }
}
