import Foundation

/// External programs the socket tests talk to. A suite needing one runs when it is installed; under `CI=true` it
/// always runs, so a missing tool fails the build instead of silently skipping what it proves.
public enum Tools {
    public static func path(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories + ["/usr/sbin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public static func usable(_ names: String...) -> Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" || names.allSatisfy { path($0) != nil }
    }

    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) is not installed (apt-get install \(name == "python3" ? "python3" : name))" }
    }

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
