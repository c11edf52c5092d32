/// A list request in the gateway's terms: `GET /campaigns/{type}?page=&limit=&status=&priority=&dialingMode=&sort=`.
///
/// `parse` is strict: an unknown parameter, a repeated one, an empty value or a value outside the normalized
/// vocabulary is an error (the gateway's 400 `invalid_query`), never silently ignored.
public struct CampaignListQuery: Sendable, Equatable {
    /// The fields a list can be sorted by (Kore.ai's `sortBy` members).
    public enum SortField: String, Sendable, CaseIterable {
        case name, createdAt, updatedAt
    }

    /// 1-based.
    public var page = 1
    /// 1...100, default 20.
    public var limit = 20
    /// Normalized statuses (`ready`, `active`, ...); empty = no filter.
    public var statuses: [String] = []
    /// 1...5; empty = no filter.
    public var priorities: [Int] = []
    /// Voice only: `agentless`, `progressive`, `preview`; empty = no filter.
    public var dialingModes: [String] = []
    /// Nil = Kore.ai's default order.
    public var sort: SortField?
    public var descending = false

    public static let maxLimit = 100
    public static let defaultLimit = 20
    /// Kore.ai's status filter values, lowercased.
    public static let statusValues = ["preparing", "ready", "active", "paused", "stopped", "completed", "scheduled", "rescheduled"]
    /// The parameter names `parse` accepts.
    public static let parameterNames = ["page", "limit", "status", "priority", "dialingMode", "sort"]

    public init() {}

    /// The query for decoded `name=value` pairs (the gateway's own parameters such as `dryRun` already removed), or
    /// the reason it is refused.
    public static func parse(_ pairs: [(name: String, value: String)], type: CampaignType) -> Result<CampaignListQuery, CampaignValidationFailure> {
        var query = CampaignListQuery()
        var seen = Set<String>()
        for (name, value) in pairs {
            guard parameterNames.contains(name) else {
                return .failure(refused(field: name, message: "is not a list parameter; use " + parameterNames.joined(separator: ", ")))
            }
            guard seen.insert(name).inserted else { return .failure(refused(field: name, message: "is given more than once")) }
            guard !value.isEmpty else { return .failure(refused(field: name, message: "must not be empty")) }
            switch name {
            case "page":
                guard let page = Self.integer(value), page >= 1 else {
                    return .failure(refused(field: name, message: "must be an integer of at least 1"))
                }
                query.page = page
            case "limit":
                guard let limit = Self.integer(value), (1...maxLimit).contains(limit) else {
                    return .failure(refused(field: name, message: "must be an integer from 1 to \(maxLimit)"))
                }
                query.limit = limit
            case "status":
                switch list(value, allowed: statusValues) {
                case .success(let values): query.statuses = values
                case .failure(let problem): return .failure(refused(field: name, message: problem.message))
                }
            case "priority":
                switch list(value, allowed: ["1", "2", "3", "4", "5"]) {
                case .success(let values): query.priorities = values.compactMap { Int($0) }
                case .failure(let problem): return .failure(refused(field: name, message: problem.message))
                }
            case "dialingMode":
                guard type == .voice else {
                    return .failure(refused(field: name, message: "applies to voice campaigns only"))
                }
                switch list(value, allowed: KoreEnumSpelling.names(KoreEnumSpelling.dialingMode)) {
                case .success(let values): query.dialingModes = values
                case .failure(let problem): return .failure(refused(field: name, message: problem.message))
                }
            default:  // sort
                let descending = value.hasPrefix("-")
                guard let field = SortField(rawValue: descending ? String(value.dropFirst()) : value) else {
                    return .failure(refused(field: name, message: "must be name, createdAt or updatedAt, optionally prefixed with - for descending order"))
                }
                query.sort = field
                query.descending = descending
            }
        }
        return .success(query)
    }

    private static func refused(field: String, message: String) -> CampaignValidationFailure {
        CampaignValidationFailure(errors: [FieldError(field: field, message: message)])
    }

    /// How many records precede the page (Kore.ai's `skip`). `parse` bounds both factors; a page set beyond them by a
    /// library caller saturates rather than wrapping to a negative skip.
    public var skip: Int {
        let product = max(page - 1, 0).multipliedReportingOverflow(by: max(limit, 0))
        return product.overflow ? Int.max : product.partialValue
    }

    /// Digits only (no sign, no spaces), at most 9 of them, so the value can never overflow.
    private static func integer(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }

    /// A comma list of allowed values, without empty items or duplicates.
    private static func list(_ text: String, allowed: [String]) -> Result<[String], FieldError> {
        var values: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard allowed.contains(item) else {
                return .failure(FieldError(field: "", message: "must be a comma list of " + allowed.joined(separator: ", ")))
            }
            if !values.contains(item) { values.append(item) }
        }
        return .success(values)
    }
}
