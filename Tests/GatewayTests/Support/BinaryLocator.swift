import Foundation
import TestSupport

/// Finds the package's built executables (next to the test bundle) and runs them.
enum BinaryLocator {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func path(_ name: String) throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        for bundle in Bundle.allBundles {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "\(name) not built next to the tests (run `swift build` first)")
    }

    struct Output {
        var status: Int32
        var output: String
    }

    /// Runs `binary` to completion with exactly `environment`; its stdout and stderr together.
    static func run(_ binary: String, _ arguments: [String], environment: [String: String]) throws -> Output {
        let result = try ChildProcess.run(binary, arguments, environment: environment)
        return Output(status: result.status, output: result.output + result.error)
    }
}


/// Runs a Python 3 script with `input` on stdin (blocking: call it through `OffPool.run`).
enum PythonScript {
    static func run(_ script: String, input: [UInt8]) throws -> BinaryLocator.Output {
        let result = try ChildProcess.run("python3", ["-c", script], input: input)
        return BinaryLocator.Output(status: result.status, output: result.output + result.error)
    }
}
