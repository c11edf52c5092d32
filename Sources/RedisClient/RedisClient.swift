import ClientTLS
import Transport

/// A Redis client on the project's event loops. A command runs on the loop of the calling thread when there is one
/// (a server handler running on its connection's loop), so it costs no thread hop; elsewhere it runs on a loop the
/// client starts for itself. Each loop has one connection, on which its callers' commands are pipelined: written
/// as they come, replies matched in order. Nothing here blocks a loop: name resolution has its own thread, and
/// connecting, TLS, writes and reads are non-blocking steps driven by epoll. Knows nothing of what the commands mean.
public final class RedisClient: Sendable {
    /// What every loop's connection shares.
    final class Shared: Sendable {
        let configuration: Configuration
        let resolver: NameResolver
        let tls: TLSContext?
        let tlsProblem: String?
        let handshake: (bytes: [UInt8], replies: Int, authenticates: Bool)

        init(configuration: Configuration, resolver: NameResolver) {
            self.configuration = configuration
            self.resolver = resolver
            handshake = configuration.handshake
            guard configuration.endpoint.usesTLS else {
                tls = nil
                tlsProblem = nil
                return
            }
            do throws(TLSContext.SetupError) {
                tls = try TLSContext(caFile: configuration.caFile)
                tlsProblem = nil
            } catch {
                tls = nil
                tlsProblem = error.description
            }
        }
    }

    let shared: Shared
    /// One connection per loop, shut down with the client (or when it goes away).
    private let connections: PerLoopState<RedisLoopConnection>

    public init(configuration: Configuration, resolver: NameResolver = .shared) {
        // OpenSSL writes with send() and no MSG_NOSIGNAL: a peer gone mid-write must be EPIPE, not a killed process.
        ignoreSIGPIPE()
        let shared = Shared(configuration: configuration, resolver: resolver)
        self.shared = shared
        connections = PerLoopState(ownLoopName: "redis-client") { loop in
            RedisLoopConnection(loop: loop, shared: shared)
        } close: { connection, onItsLoop in
            if onItsLoop { connection.shutDown() } else { connection.closeAfterLoopExit() }
        }
    }

    public var configuration: Configuration { shared.configuration }

    /// Whether a command ever came from off every event loop, so that the client started a loop of its own.
    public var startedOwnLoop: Bool { connections.startedOwnLoop }

    /// Why `rediss://` connections will fail (the CA file could not be read, say), or nil.
    public var tlsProblem: String? { shared.tlsProblem }

    // MARK: Commands

    /// Sends one command and returns its reply. An error reply is thrown as `.server` (or `.authenticationFailed`
    /// for `NOAUTH`/`WRONGPASS`); `timeoutSeconds` overrides the configured command timeout.
    public func send(_ command: [RedisArgument], timeoutSeconds: Double? = nil) async throws(RedisError) -> RedisReply {
        guard !command.isEmpty else { throw .invalidCommand("a command needs at least its name") }
        let replies = try await submit(RedisCommandEncoder.encode(command), replyCount: 1, timeoutSeconds: timeoutSeconds).get()
        guard let reply = replies.first else { throw .protocolViolation("no reply") }
        if case .error(let message) = reply { throw Self.error(forReply: message) }
        return reply
    }

    /// Sends `commands` back to back on one connection and returns their replies in the same order, error replies
    /// as `.error` values. All share one deadline.
    public func pipeline(_ commands: [[RedisArgument]], timeoutSeconds: Double? = nil) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        var bytes: [UInt8] = []
        for command in commands {
            guard !command.isEmpty else { throw .invalidCommand("a command needs at least its name") }
            RedisCommandEncoder.append(command, to: &bytes)
        }
        return try await submit(bytes, replyCount: commands.count, timeoutSeconds: timeoutSeconds).get()
    }

    /// Runs `script` by `EVALSHA`; when the server does not have it (`NOSCRIPT`: never loaded, restarted, flushed),
    /// by `EVAL`, which also caches it for the next call. A script's error is thrown as `.server`.
    public func evalScript(_ script: RedisScript, keys: [RedisArgument] = [], args: [RedisArgument] = [],
                           timeoutSeconds: Double? = nil) async throws(RedisError) -> RedisReply {
        let tail = [RedisArgument(keys.count)] + keys + args
        do {
            return try await send(["EVALSHA", RedisArgument(script.sha1)] + tail, timeoutSeconds: timeoutSeconds)
        } catch let error where error.serverErrorCode == "NOSCRIPT" {
            return try await send(["EVAL", RedisArgument(script.source)] + tail, timeoutSeconds: timeoutSeconds)
        }
    }

    /// Closes every connection; commands in flight or waiting fail, later ones fail at once as unavailable.
    public func shutdown() async {
        await connections.close()
    }

    static func error(forReply message: String) -> RedisError {
        if message.hasPrefix("NOAUTH") || message.hasPrefix("WRONGPASS") { return .authenticationFailed(message) }
        return .server(message)
    }

    private func submit(_ bytes: [UInt8], replyCount: Int, timeoutSeconds: Double?) async -> Result<[RedisReply], RedisError> {
        let found: (loop: EventLoop, state: RedisLoopConnection)?
        do throws(SocketError) {
            found = try connections.forCallingThread()
        } catch {
            return .failure(.unavailable("the Redis client's event loop cannot start: \(error)"))
        }
        guard let (loop, connection) = found else {
            return .failure(.unavailable("the Redis client is shut down"))
        }
        let seconds = timeoutSeconds ?? shared.configuration.commandTimeoutSeconds
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<[RedisReply], RedisError>, Never>) in
            if loop.isInEventLoop {
                connection.submit(bytes, replyCount: replyCount, timeoutSeconds: seconds) { continuation.resume(returning: $0) }
            } else if !loop.execute({
                connection.submit(bytes, replyCount: replyCount, timeoutSeconds: seconds) { continuation.resume(returning: $0) }
            }) {
                continuation.resume(returning: .failure(.unavailable("the event loop has stopped")))
            }
        }
    }
}
