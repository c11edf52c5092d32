import Foundation
import Testing

/// External programs the tests talk to (python3, openssl, curl, tinyproxy, nginx, redis-server). A suite that needs
/// one runs when it is installed and is skipped with `skipReason` otherwise, which `scripts/test` repeats in its final
/// summary. Under `CI=true` it always runs, so a missing tool fails the suite instead of silently proving nothing.
///
/// `TEST_TOOLS_MISSING=tinyproxy,nginx` makes the named tools count as absent: what a machine without them reports.
public enum Tools {
    public static var underCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static var pretendMissing: Set<String> {
        Set((ProcessInfo.processInfo.environment["TEST_TOOLS_MISSING"] ?? "").split(separator: ",").map(String.init))
    }

    /// Where `name` is: the PATH's folders, then /usr/sbin and /usr/local/bin (nginx lives in sbin).
    public static func path(_ name: String) -> String? {
        if pretendMissing.contains(name) { return nil }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for directory in directories + ["/usr/sbin", "/usr/local/bin", "/usr/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public static func missing(_ names: [String]) -> [String] { names.filter { path($0) == nil } }

    /// Whether a suite needing `names` runs: all of them are here, or `CI=true` (then a missing one fails it).
    public static func runs(_ names: String...) -> Bool { underCI || missing(names).isEmpty }

    /// Why a suite needing `names` is skipped here, with the packages that bring them.
    public static func skipReason(_ names: [String]) -> String {
        let absent = missing(names)
        let packages = absent.map { $0 == "redis-cli" ? "redis-tools" : $0 }.joined(separator: " ")
        return "needs \(absent.joined(separator: ", ")), not installed here (apt-get install \(packages)); under CI=true it fails instead"
    }

    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) is not installed (apt-get install \(name))" }
    }

    /// The tool's path, or an error that names the package (what a suite run under CI=true without it reports).
    public static func require(_ name: String) throws -> String {
        guard let found = path(name) else { throw Missing(name: name) }
        return found
    }

    public static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "test-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

extension Trait where Self == ConditionTrait {
    /// `@Suite(.needs("tinyproxy"))`: runs when the tools are installed, and always under `CI=true` (where a missing
    /// one fails it); skipped otherwise, with `Tools.skipReason` as the reason.
    public static func needs(_ names: String...) -> Self {
        .enabled(if: Tools.underCI || Tools.missing(names).isEmpty, Comment(rawValue: Tools.skipReason(names)))
    }
}
