import HTTPServer
import JSONCore

extension SimulatedCampaignEndpoint {
    static let listStatuses: Set<String> = ["Active", "Completed", "Ready", "Paused", "Preparing", "Stopped", "Scheduled", "Rescheduled"]
    static let listDialingModes: Set<String> = ["Agentless", "Progressive", "Preview"]
    /// Kore.ai's pages give no default page size; the simulator's is 10.
    static let defaultListLimit = 10

    /// `POST .../campaign/getAllCampaignDetails` with `{type, limit, skip, page, filters, sortBy}`: the tenant's
    /// campaigns of `type`, filtered, sorted and paged, as `{status, message, data: {results, skip, limit, hasMore,
    /// totalPages, totalResults}}` with each result in the version's list shape (`APIVersionShape.listResult`).
    func list(_ context: Context, state: SimulatorState) -> HTTPResponse {
        let body: JSONObject
        switch Self.jsonObjectBody(context.request) {
        case .failure(let error): return error.response
        case .success(let object): body = object
        }
        var problems: [String] = []
        let type = body["type"]?.stringValue.flatMap(SimulatedCampaignType.init(queryValue:))
        if type == nil { problems.append("type is required and must be voice or sms") }
        let limit = Self.optionalCount(body["limit"], name: "limit", minimum: 1, &problems) ?? Self.defaultListLimit
        let page = Self.optionalCount(body["page"], name: "page", minimum: 1, &problems)
        let skip = Self.optionalCount(body["skip"], name: "skip", minimum: 0, &problems) ?? ((page ?? 1) - 1) * limit
        var statuses: Set<String>?, priorities: Set<Int>?, modes: Set<String>?
        if let filters = body["filters"], !filters.isNull {
            if let object = filters.objectValue {
                statuses = Self.filter(object["status"], name: "filters.status", allowed: Self.listStatuses, &problems)
                modes = Self.filter(object["dialingMode"], name: "filters.dialingMode", allowed: Self.listDialingModes, &problems)
                if let values = object["priority"], !values.isNull {
                    let numbers = values.arrayValue?.compactMap(\.intValue) ?? []
                    if values.arrayValue?.count != numbers.count || !numbers.allSatisfy({ (1...5).contains($0) }) {
                        problems.append("filters.priority must be an array of numbers from 1 to 5")
                    } else {
                        priorities = Set(numbers)
                    }
                }
                if modes != nil, type == .sms { problems.append("filters.dialingMode applies to voice campaigns only") }
            } else {
                problems.append("filters must be an object")
            }
        }
        var sort: (key: String, descending: Bool)?
        if let sortBy = body["sortBy"], !sortBy.isNull {
            if let object = sortBy.objectValue, object.count == 1, let member = object.entries.first,
               ["name", "createdAt", "updatedAt"].contains(member.key), ["asc", "desc"].contains(member.value.stringValue ?? "") {
                sort = (member.key, member.value.stringValue == "desc")
            } else {
                problems.append("sortBy must be one of {name|createdAt|updatedAt: asc|desc}")
            }
        }
        guard problems.isEmpty, let type else { return KoreError(status: 400, messages: problems).response }

        var records = (state.stores[context.streamId]?.all ?? []).filter { record in
            record.type == type
                && (statuses?.contains(record.status) ?? true)
                && (priorities.map { Int(record.fields["priority"]?.stringValue ?? "").map($0.contains) ?? false } ?? true)
                && (modes?.contains(record.fields["dialingMode"]?.stringValue ?? "") ?? true)
        }
        if let sort {
            let key = sort.key == "name" ? "lname" : sort.key
            records.sort { a, b in
                let x = a.fields[key]?.stringValue ?? "", y = b.fields[key]?.stringValue ?? ""
                return x == y ? a.id < b.id : (sort.descending ? x > y : x < y)
            }
        }
        let total = records.count
        let pageRecords = skip >= total ? [] : Array(records[skip..<min(total, skip + limit)])
        let data: JSONObject = [
            "results": .array(pageRecords.map(context.route.shape.listResult)),
            "skip": .int(skip),
            "limit": .int(limit),
            "hasMore": .bool(skip + pageRecords.count < total),
            "totalPages": .int((total + limit - 1) / limit),
            "totalResults": .int(total),
        ]
        return success(["status": .string("success"), "message": .string("Campaigns retrieved successfully"), "data": .object(data)])
    }

    /// The body as a JSON object, or Kore.ai's 400.
    static func jsonObjectBody(_ request: HTTPRequest, emptyIsObject: Bool = false) -> Result<JSONObject, KoreError> {
        if emptyIsObject && request.body.isEmpty { return .success(JSONObject()) }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else { return .failure(.badRequest("Content-Type must be application/json")) }
        guard case .object(let object)? = try? JSONReader.parse(request.body) else {
            return .failure(.badRequest("Request body must be a JSON object"))
        }
        return .success(object)
    }

    /// Kore.ai's "number or empty string" paging members: nil when absent, null or "".
    private static func optionalCount(_ value: JSONValue?, name: String, minimum: Int, _ problems: inout [String]) -> Int? {
        guard let value, !value.isNull, value.stringValue != "" else { return nil }
        guard let number = value.intValue, number >= minimum, number <= 1_000_000 else {
            problems.append("\(name) must be a number of at least \(minimum) or an empty string")
            return nil
        }
        return number
    }

    private static func filter(_ value: JSONValue?, name: String, allowed: Set<String>, _ problems: inout [String]) -> Set<String>? {
        guard let value, !value.isNull else { return nil }
        guard let items = value.arrayValue, items.allSatisfy({ allowed.contains($0.stringValue ?? "") }) else {
            problems.append("\(name) must be an array of " + allowed.sorted().joined(separator: ", "))
            return nil
        }
        return Set(items.compactMap(\.stringValue))
    }
}
