/// Runs `python3` as the independent implementation the project's own code is checked against (hashlib, hmac,
/// base64, PyJWT, prometheus-client, http.client).
public enum PythonRunner {
    /// Runs `script` with `python3 -c`, feeding `input` on stdin. Throws only if python3 cannot be started at all.
    public static func run(_ script: String, input: String = "", arguments: [String] = []) throws -> ChildProcess.Outcome {
        try ChildProcess.run("python3", ["-c", script] + arguments, input: Array(input.utf8))
    }

    /// The async form (see `ChildProcess.run`).
    public static func run(_ script: String, input: String = "", arguments: [String] = []) async throws -> ChildProcess.Outcome {
        try await ChildProcess.run("python3", ["-c", script] + arguments, input: Array(input.utf8))
    }

    /// Exit status the PyJWT scripts use when `import jwt` fails, so the test can say how to fix it.
    public static let missingPyJWTStatus: Int32 = 3

    /// Prologue for PyJWT scripts: a missing module must fail the test loudly, never skip it.
    public static let importPyJWT = """
        import sys
        try:
            import jwt
        except ImportError:
            sys.stderr.write("PyJWT is not installed: pip install pyjwt\\n")
            sys.exit(3)
        """
}
