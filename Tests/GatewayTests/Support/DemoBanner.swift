import Foundation

/// Runs the demo binary, reads its banner, and runs the curl lines printed under the given headings, exactly as
/// printed (blocking: call it through `offThePool`).
enum DemoBanner {
    struct Run: Sendable {
        var printed = ""
        /// Heading prefix -> (the printed curl line, what running it printed, ending in the HTTP status).
        var results: [String: (curl: String, output: String)] = [:]
    }

    static func run(binary: String, headings: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["demo", "--port", "0"]
        process.environment = [:]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        // Reading the pipe blocks; if the demo never prints, end it so the read sees EOF instead of hanging the run.
        let watchdog = DispatchWorkItem { [process] in process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        defer { watchdog.cancel() }
        var run = Run()
        while !run.printed.contains("OpenAPI:") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { return run }
            run.printed += String(decoding: chunk, as: UTF8.self)
        }
        let lines = run.printed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for heading in headings {
            guard let index = lines.firstIndex(where: { $0.hasPrefix(heading) }), index + 1 < lines.count else { continue }
            let curl = lines[index + 1]
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", curl + " -w '\\n%{http_code}'"]
            let out = Pipe()
            shell.standardOutput = out
            try shell.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            shell.waitUntilExit()
            run.results[heading] = (curl, String(decoding: data, as: UTF8.self))
        }
        return run
    }
}
