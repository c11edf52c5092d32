import Foundation

/// Runs `python3` as the independent implementation our crypto is cross-checked against (hashlib, hmac, base64, PyJWT).
enum Python {
    /// What a script printed and how it exited.
    typealias Outcome = (status: Int32, output: String, error: String)

    /// Runs `script` with `python3 -c`, feeding `input` on stdin. Throws only if python3 cannot be started at all.
    static func run(_ script: String, input: String = "", arguments: [String] = []) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Scripts read all of stdin before printing, so writing everything first cannot deadlock.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    /// Exit status the PyJWT scripts use when `import jwt` fails, so the test can say how to fix it.
    static let missingPyJWTStatus: Int32 = 3

    /// Prologue for PyJWT scripts: a missing module must fail the test loudly, never skip it.
    static let importPyJWT = """
        import sys
        try:
            import jwt
        except ImportError:
            sys.stderr.write("PyJWT is not installed: pip install pyjwt\\n")
            sys.exit(3)
        """
}
