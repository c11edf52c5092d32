import ClientTLS
import Transport

/// Opening the connection: resolve, non-blocking connect (address after address), TLS, then `AUTH` and `SELECT`.
extension RedisLoopConnection {
    /// Starts a connection for the waiting commands, or fails them at once while the backoff delay runs.
    func connectOrFailWaiting() {
        guard case .disconnected = phase, !waiting.isEmpty else { return }
        let now = MonotonicInstant.now()
        guard backoff.mayAttempt(at: now) else {
            let left = backoff.notBefore.map { $0.seconds(since: now) } ?? 0
            let next = "next attempt in \(Int((left * 1000).rounded(.up))) ms"
            // A refused password stays a refused password while the client waits to try again.
            let error: RedisError = if case .authenticationFailed(let detail) = lastFailure {
                .authenticationFailed("\(detail) (\(next))")
            } else {
                .unavailable("Redis at \(endpoint.address) failed a moment ago (\(Self.detail(of: lastFailure))); \(next)")
            }
            for request in waiting.takeAll() { request.finish(.failure(error)) }
            return
        }
        phase = .resolving
        parser = RedisReplyParser(limits: shared.configuration.limits)
        let seconds = shared.configuration.connectTimeoutSeconds
        establishTimer = loop.scheduleTimer(at: now.adding(seconds: seconds)) { [self] in
            establishTimer = nil
            establishFailed(.unavailable("connecting to Redis at \(endpoint.address) took longer than \(Self.format(seconds)) s"))
        }
        if let cached = shared.resolver.cached(host: endpoint.host, port: endpoint.port) {
            return resolved(cached)
        }
        let box = LoopBound(self)
        let loop = self.loop
        shared.resolver.resolve(host: endpoint.host, port: endpoint.port) { result in
            loop.execute { box.value.resolved(result) }
        }
    }

    func resolved(_ result: Result<[SocketAddress], NameResolver.Failure>) {
        guard case .resolving = phase else { return }
        switch result {
        case .failure(let failure):
            establishFailed(.unavailable(failure.description))
        case .success(let list):
            addresses = list
            addressIndex = 0
            connectNext(previousError: nil)
        }
    }

    func connectNext(previousError: String?) {
        if fd >= 0 { closeSocket() }
        guard addressIndex < addresses.count else {
            return establishFailed(.unavailable(previousError ?? "no address for \(endpoint.host)"))
        }
        let address = addresses[addressIndex]
        addressIndex += 1
        phase = .connecting
        do throws(SocketError) {
            let (newFD, start) = try OutboundSocket.connect(to: address)
            fd = newFD
            registration = try loop.register(fd: newFD, interest: start == .connected ? [] : .writable, handler: self)
            if start == .connected { connected() }
        } catch {
            connectNext(previousError: "cannot connect to Redis at \(address.description): \(error)")
        }
    }

    func connected() {
        guard endpoint.usesTLS else { return startHandshake() }
        guard let context = shared.tls else {
            return establishFailed(.unavailable("TLS is not available: \(shared.tlsProblem ?? "no context")"))
        }
        do throws(TLSContext.SetupError) {
            tls = try TLSStream(context: context, fd: fd, host: endpoint.host, resume: nil)
        } catch {
            return establishFailed(.unavailable(error.description))
        }
        phase = .handshakingTLS
        driveTLSHandshake()
    }

    func driveTLSHandshake() {
        guard let tls else { return }
        switch tls.handshake() {
        case .done: startHandshake()
        case .wantRead: setInterest(.readable)
        case .wantWrite: setInterest(.writable)
        case .closed: establishFailed(.unavailable("Redis at \(endpoint.address) closed the connection during the TLS handshake"))
        case .failed(let detail): establishFailed(.unavailable(detail))
        }
    }

    /// `AUTH` and `SELECT`, pipelined, ahead of every command; without them the connection is ready at once.
    func startHandshake() {
        let handshake = shared.handshake
        guard handshake.replies > 0 else { return becomeReady() }
        phase = .authenticating
        place(RedisRequest(bytes: handshake.bytes, replyCount: handshake.replies, isHandshake: true,
                           timeoutSeconds: shared.configuration.connectTimeoutSeconds, now: .now(), completion: nil))
        writeBlocked = false
        setInterest(.readable)
        flush()
    }

    func handshakeAnswered(_ replies: [RedisReply]) {
        var index = 0
        if shared.handshake.authenticates {
            if case .error(let message) = replies[index] {
                let user = shared.configuration.username.map { "user \($0)" } ?? "the default user"
                return establishFailed(.authenticationFailed("AUTH as \(user) at \(endpoint.address): \(message)"))
            }
            index += 1
        }
        if index < replies.count, case .error(let message) = replies[index] {
            let error: RedisError = message.hasPrefix("NOAUTH")
                ? .authenticationFailed("Redis at \(endpoint.address) requires a password: \(message)")
                : .unavailable("SELECT \(endpoint.database) at \(endpoint.address) refused: \(message)")
            return establishFailed(error)
        }
        becomeReady()
    }

    func becomeReady() {
        if let establishTimer { loop.cancelTimer(establishTimer) }
        establishTimer = nil
        phase = .ready
        backoff.succeeded()
        writeBlocked = false
        setInterest(.readable)
        while let request = waiting.removeFirst() { place(request) }
        flush()
    }

    /// The attempt failed before the connection carried a command: the waiting commands fail with `error` (nothing
    /// of theirs was sent), and the next attempt waits for the backoff delay.
    func establishFailed(_ error: RedisError) {
        if let establishTimer { loop.cancelTimer(establishTimer) }
        establishTimer = nil
        closeSocket()
        phase = .disconnected
        _ = inFlight.takeAll()
        lastFailure = error
        backoff.failed(at: .now(), unitRandom: Double.random(in: 0..<1, using: &random))
        for request in waiting.takeAll() { request.finish(.failure(error)) }
    }
}
