/// Where a secret comes from: `{"env": NAME}`, `{"file": PATH}` (Docker/Kubernetes secrets) or `{"value": "..."}`.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    case env(String)
    case file(String)
    case value

    /// What `check-config` may print: the source, never the secret.
    public var description: String {
        switch self {
        case .env(let name): return "env \(name)"
        case .file(let path): return "file \(path)"
        case .value: return "inline value"
        }
    }

    /// Reads the secret. A file's single trailing newline is trimmed: `echo secret > file` must work.
    func resolve(environment: [String: String], inlineValue: String?, baseDirectory: String) -> Result<[UInt8], SecretError> {
        switch self {
        case .env(let name):
            guard let value = environment[name] else { return .failure(.missing("environment variable \(name) is not set")) }
            guard !value.isEmpty else { return .failure(.missing("environment variable \(name) is empty")) }
            return .success(Array(value.utf8))
        case .file(let path):
            let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
            guard var bytes = FileContents.read(full, limit: 1 << 20) else {
                return .failure(.missing("file \(full) cannot be read"))
            }
            if bytes.last == 0x0A { bytes.removeLast() }
            if bytes.last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { return .failure(.missing("file \(full) is empty")) }
            return .success(bytes)
        case .value:
            guard let inlineValue, !inlineValue.isEmpty else { return .failure(.missing("value is empty")) }
            return .success(Array(inlineValue.utf8))
        }
    }

    enum SecretError: Error {
        case missing(String)
    }
}
