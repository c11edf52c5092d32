/// Why a command has no reply. The cases say what the caller may assume about the command's effect.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command's time ran out (connecting included). If it had been written, the connection is closed: the
    /// command may or may not have run.
    case timeout(seconds: Double)
    /// The command was not sent: the server could not be reached (resolution, refused, TLS, the reconnect backoff
    /// after a failure), or the client is shut down. Safe to retry.
    case unavailable(String)
    /// The connection broke after the command was written: it may or may not have run.
    case connectionLost(String)
    /// The server refused `AUTH` (wrong password, unknown or disabled user) or asks for it (`NOAUTH`).
    case authenticationFailed(String)
    /// The server answered the command with an error reply (`-ERR ...`, `-WRONGTYPE ...`, a script's error).
    case server(String)
    /// The server's bytes are not a RESP2 reply the client reads (garbage, over a limit, truncated). The
    /// connection is closed; commands in flight on it get `connectionLost`.
    case protocolViolation(String)
    /// The command itself cannot be sent (no arguments).
    case invalidCommand(String)

    /// The error reply's code (`ERR`, `NOSCRIPT`, `WRONGTYPE`, ...) for `.server`.
    public var serverErrorCode: Substring? {
        guard case .server(let message) = self else { return nil }
        return message.split(separator: " ", maxSplits: 1).first
    }

    public var description: String {
        switch self {
        case .timeout(let seconds): "Redis did not answer within \(seconds) s"
        case .unavailable(let detail): "Redis is unavailable: \(detail)"
        case .connectionLost(let detail): "the connection to Redis was lost after the command was sent: \(detail)"
        case .authenticationFailed(let detail): "Redis refused the credentials: \(detail)"
        case .server(let message): "Redis answered with an error: \(message)"
        case .protocolViolation(let detail): "Redis sent something that is not a valid reply: \(detail)"
        case .invalidCommand(let detail): "invalid Redis command: \(detail)"
        }
    }
}
