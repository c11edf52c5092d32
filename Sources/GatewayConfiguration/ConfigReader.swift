import JSONCore

/// Reads typed values out of a JSON configuration document, collecting issues with their paths instead of stopping
/// at the first one, and rejecting keys it was not asked about (a typo must never be silently ignored).
final class ConfigReader {
    private(set) var issues: [ConfigIssue] = []

    func fail(_ path: String, _ message: String) { issues.append(ConfigIssue(path, message)) }

    /// The object at `path`, after checking that it has no keys outside `allowed`.
    func object(_ value: JSONValue?, at path: String, allowed: Set<String>) -> JSONObject? {
        guard let value else { return nil }
        guard case .object(let object) = value else {
            fail(path, "must be an object, found \(value.kindName)")
            return nil
        }
        for key in object.keys where !allowed.contains(key) {
            fail(join(path, key), "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        return object
    }

    func string(_ object: JSONObject?, _ key: String, at path: String, required: Bool = false) -> String? {
        guard let value = object?[key] else {
            if required { fail(join(path, key), "is required") }
            return nil
        }
        guard case .string(let s) = value else {
            fail(join(path, key), "must be a string, found \(value.kindName)")
            return nil
        }
        if required && s.isEmpty { fail(join(path, key), "must not be empty") }
        return s
    }

    func int(_ object: JSONObject?, _ key: String, at path: String, range: ClosedRange<Int>) -> Int? {
        number(object, key, at: path, range: range, kind: "an integer") { $0.intValue }
    }

    func double(_ object: JSONObject?, _ key: String, at path: String, range: ClosedRange<Double>) -> Double? {
        number(object, key, at: path, range: range, kind: "a number") { $0.doubleValue }
    }

    private func number<N: Comparable>(_ object: JSONObject?, _ key: String, at path: String, range: ClosedRange<N>,
                                       kind: String, read: (JSONValue) -> N?) -> N? {
        guard let value = object?[key] else { return nil }
        guard let n = read(value) else {
            fail(join(path, key), "must be \(kind), found \(value.kindName)")
            return nil
        }
        guard range.contains(n) else {
            fail(join(path, key), "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return n
    }

    func bool(_ object: JSONObject?, _ key: String, at path: String) -> Bool? {
        guard let value = object?[key] else { return nil }
        guard let b = value.boolValue else {
            fail(join(path, key), "must be true or false, found \(value.kindName)")
            return nil
        }
        return b
    }

    func stringArray(_ object: JSONObject?, _ key: String, at path: String, required: Bool = false) -> [String]? {
        guard let value = object?[key] else {
            if required { fail(join(path, key), "is required") }
            return nil
        }
        guard let items = value.arrayValue else {
            fail(join(path, key), "must be an array of strings, found \(value.kindName)")
            return nil
        }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue else {
                fail("\(join(path, key))[\(i)]", "must be a string, found \(item.kindName)")
                continue
            }
            result.append(s)
        }
        return result
    }

    func array(_ object: JSONObject?, _ key: String, at path: String) -> [JSONValue]? {
        guard let value = object?[key] else { return nil }
        guard let items = value.arrayValue else {
            fail(join(path, key), "must be an array, found \(value.kindName)")
            return nil
        }
        return items
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
