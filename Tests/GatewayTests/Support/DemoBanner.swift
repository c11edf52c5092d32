import Foundation
import TestSupport

/// Runs the demo binary, reads its banner, and runs the curl lines printed under the given headings, exactly as
/// printed, each from an empty folder (blocking: call it through `OffPool.run`).
enum DemoBanner {
    struct Run: Sendable {
        var printed = ""
        /// Heading prefix -> (the printed curl line, what running it printed, ending in the HTTP status); the last
        /// run when a heading is given more than once.
        var results: [String: Result] = [:]
        /// Every run, in the order of the headings given.
        var ordered: [Result] = []
    }

    struct Result: Sendable {
        var curl: String
        var output: String
    }

    static func run(binary: String, headings: [String]) throws -> Run {
        let demo = try SpawnedProcess(binary, ["demo", "--port", "0"], environment: [:])
        defer {
            demo.signal(SIGTERM)
            _ = demo.waitForExit(timeoutSeconds: 10)
            demo.signal(SIGKILL)
        }
        var run = Run()
        let deadline = Date().addingTimeInterval(20)
        while !run.printed.contains("OpenAPI:") {
            if demo.exit != nil || Date() > deadline { return run }
            usleep(10_000)
            run.printed = demo.output
        }
        let lines = run.printed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for heading in headings {
            guard let index = lines.firstIndex(where: { $0.hasPrefix(heading) }), index + 1 < lines.count else { continue }
            let curl = lines[index + 1]
            // From a folder of its own: the printed lines must not depend on the repository being the working directory.
            let folder = NSTemporaryDirectory() + "demo-banner-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let output = try ChildProcess.run("/bin/sh", ["-c", "cd '\(folder)' && " + curl + " -w '\\n%{http_code}'"]).output
            run.results[heading] = Result(curl: curl, output: output)
            run.ordered.append(Result(curl: curl, output: output))
        }
        return run
    }
}
