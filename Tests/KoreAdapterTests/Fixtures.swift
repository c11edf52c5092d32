import Foundation
import JSONCore
import KoreAdapter
import Testing

/// Loads the checked-in fixtures: Kore.ai's sample bodies copied verbatim from the seed pages, and the normalized
/// campaigns we expect from them, written by hand from the normalized shape in docs/KORE-MAPPING.md.
enum Fixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "fixture \(name).json is not in the test bundle" }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw Missing(name: name)
        }
        return Array(try Data(contentsOf: url))
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONReader.parse(try bytes(name))
    }

    /// The seed sample bodies with the route type and version each belongs to.
    static let seedResponses: [SeedResponse] = [
        SeedResponse(name: "v1-voice-delete", type: .voice, version: .v1, operation: .delete),
        SeedResponse(name: "v2-voice-delete", type: .voice, version: .v2, operation: .delete),
        SeedResponse(name: "v1-sms-delete", type: .sms, version: .v1, operation: .delete),
        SeedResponse(name: "v2-sms-delete", type: .sms, version: .v2, operation: .delete),
        SeedResponse(name: "v1-voice-update-response", type: .voice, version: .v1, operation: .update),
    ]

    struct SeedResponse: Sendable, CustomTestStringConvertible {
        let name: String
        let type: CampaignType
        let version: UpstreamVersion
        let operation: CampaignOperation
        var testDescription: String { name }
    }
}

/// Comparison helpers for JSON values.
enum JSONCompare {
    /// The value with every object's members sorted by key: for comparisons where member order is not the point.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.entries.sorted { $0.key < $1.key }.map { ($0.key, canonical($0.value)) }))
        case .array(let items):
            return .array(items.map(canonical))
        default:
            return value
        }
    }

    /// Paths where two values differ (for readable failure messages), at most `limit` of them.
    static func differences(_ lhs: JSONValue, _ rhs: JSONValue, path: String = "$", limit: Int = 20) -> [String] {
        var found: [String] = []
        collect(lhs, rhs, path: path, into: &found, limit: limit)
        return found
    }

    private static func collect(_ lhs: JSONValue, _ rhs: JSONValue, path: String, into found: inout [String], limit: Int) {
        guard found.count < limit else { return }
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let p = path + "." + key
                switch (a[key], b[key]) {
                case (let x?, let y?): collect(x, y, path: p, into: &found, limit: limit)
                case (nil, _?): found.append("\(p): missing on the left")
                case (_?, nil): found.append("\(p): missing on the right")
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            if a.count != b.count { found.append("\(path): \(a.count) vs \(b.count) elements") }
            for (i, (x, y)) in zip(a, b).enumerated() { collect(x, y, path: "\(path)[\(i)]", into: &found, limit: limit) }
        default:
            if lhs != rhs { found.append("\(path): \(JSONWriter.string(lhs)) vs \(JSONWriter.string(rhs))") }
        }
    }
}
