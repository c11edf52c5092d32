import ClientTLS
import Transport

/// Commands out and replies in on an open connection, the events that drive both, and what ends a connection.
extension RedisLoopConnection {
    // MARK: Writing

    func flush() {
        while outOffset < out.count {
            let written: Int
            if let tls {
                switch out.withUnsafeBytes({ tls.write(UnsafeRawBufferPointer(rebasing: $0[outOffset...])) }) {
                case .done(let n): written = n
                case .wantWrite:
                    writeWantsRead = false
                    return blockWrites()
                case .wantRead:
                    writeWantsRead = true
                    return blockWrites()
                case .closed: return connectionBroke("Redis at \(endpoint.address) closed the TLS session", countsAsFailure: false)
                case .failed(let detail): return connectionBroke(detail, countsAsFailure: false)
                }
            } else {
                let result: Result<IOResult, SocketError> = out.withUnsafeBytes { buffer in
                    do throws(SocketError) {
                        return .success(try Syscall.send(fd, UnsafeRawBufferPointer(rebasing: buffer[outOffset...])))
                    } catch {
                        return .failure(error)
                    }
                }
                switch result {
                case .success(.processed(let n)): written = n
                case .success(.wouldBlock), .success(.endOfFile): return blockWrites()
                case .failure(let error): return connectionBroke("writing to Redis at \(endpoint.address): \(error)", countsAsFailure: false)
                }
            }
            outOffset += written
        }
        streamBase += out.count
        out.removeAll(keepingCapacity: out.capacity <= 64 * 1024)
        outOffset = 0
        writeWantsRead = false
        if writeBlocked {
            writeBlocked = false
            updateInterest()
        }
    }

    func blockWrites() {
        writeBlocked = true
        updateInterest()
    }

    // MARK: Reading

    func readReplies() {
        while isCarrying {
            let progress: TLSStream.Progress
            if let tls {
                progress = tls.read(into: readBuffer)
            } else {
                do throws(SocketError) {
                    switch try Syscall.read(fd, into: readBuffer) {
                    case .processed(let n): progress = .done(n)
                    case .wouldBlock: progress = .wantRead
                    case .endOfFile: progress = .closed
                    }
                } catch {
                    progress = .failed("reading from Redis at \(endpoint.address): \(error)")
                }
            }
            switch progress {
            case .done(let n):
                readWantsWrite = false
                var offset = 0
                while offset < n {
                    let (consumed, outcome) = parser.feed(UnsafeRawBufferPointer(rebasing: readBuffer[offset..<n]))
                    offset += consumed
                    switch outcome {
                    case .needMore:
                        continue
                    case .complete(let reply):
                        deliver(reply)
                        guard isCarrying else { return }
                    case .failed(let failure):
                        return protocolViolation(failure.description)
                    }
                }
            case .wantRead:
                if readWantsWrite {
                    readWantsWrite = false
                    updateInterest()
                }
                return
            case .wantWrite:
                readWantsWrite = true
                return updateInterest()
            case .closed:
                if inFlight.isEmpty && parser.isBetweenReplies {
                    // An idle connection the server closed (its idle timeout, a restart): the next command opens
                    // another at once.
                    closeSocket()
                    phase = .disconnected
                    return connectOrFailWaiting()
                }
                let how = parser.isBetweenReplies ? "" : " in the middle of a reply"
                return connectionBroke("Redis at \(endpoint.address) closed the connection\(how)", countsAsFailure: false)
            case .failed(let detail):
                return connectionBroke(detail, countsAsFailure: false)
            }
        }
    }

    /// Connected, with or without commands in flight.
    var isCarrying: Bool {
        switch phase {
        case .authenticating, .ready: true
        default: false
        }
    }

    func deliver(_ reply: RedisReply) {
        guard let request = inFlight.first else {
            return protocolViolation("a reply arrived while no command was waiting for one")
        }
        request.replies.append(reply)
        guard request.replies.count == request.replyCount else { return }
        _ = inFlight.removeFirst()
        if request.isHandshake { return handshakeAnswered(request.replies) }
        let replies = request.replies
        request.replies = []
        request.finish(.success(replies))
    }

    func protocolViolation(_ detail: String) {
        if case .authenticating = phase {
            return establishFailed(.unavailable("Redis at \(endpoint.address) answered AUTH/SELECT with something unreadable: \(detail)"))
        }
        // The command whose reply was being read gets the reason; the rest of the connection is lost with it.
        if let request = inFlight.removeFirst() {
            request.finish(.failure(.protocolViolation(detail)))
        }
        connectionBroke("an earlier reply was not valid RESP2 (\(detail))", countsAsFailure: true)
    }

    /// The connection cannot go on. Commands written (wholly or in part) fail as lost; those not written at all
    /// go back to the front of the queue for the next connection. `countsAsFailure`: the server misbehaved (too
    /// slow, unreadable), so the next attempt waits for the backoff delay.
    func connectionBroke(_ detail: String, countsAsFailure: Bool) {
        if case .authenticating = phase { return establishFailed(.unavailable(detail)) }
        let written = streamBase + outOffset
        closeSocket()
        phase = .disconnected
        var unsent: [RedisRequest] = []
        for request in inFlight.takeAll() {
            if request.streamOffset >= written {
                request.replies = []
                unsent.append(request)
            } else {
                request.finish(.failure(.connectionLost(detail)))
            }
        }
        waiting.prepend(unsent.filter { !$0.isFinished })
        if countsAsFailure {
            lastFailure = .unavailable(detail)
            backoff.failed(at: .now(), unitRandom: Double.random(in: 0..<1, using: &random))
        }
        connectOrFailWaiting()
    }

    // MARK: Events

    func handleEvents(_ events: IOEvents) {
        loop.assertInEventLoop()
        switch phase {
        case .disconnected, .resolving, .shutDown:
            return
        case .connecting:
            if let error = OutboundSocket.finishConnect(fd) {
                let address = addresses[addressIndex - 1].description
                return connectNext(previousError: "cannot connect to Redis at \(address): \(error)")
            }
            setInterest([])
            connected()
        case .handshakingTLS:
            driveTLSHandshake()
        case .authenticating, .ready:
            let failed = events.contains(.error) || events.contains(.hangup)
            if out.count > outOffset && (events.contains(.writable) || (writeWantsRead && events.contains(.readable)) || failed) {
                flush()
                guard isCarrying else { return }
            }
            if events.contains(.readable) || events.contains(.readHangup) || failed || (readWantsWrite && events.contains(.writable)) {
                readReplies()
            }
        }
    }

    func updateInterest() {
        guard isCarrying else { return }
        var interest: IOEvents = .readable
        if (writeBlocked && !writeWantsRead) || readWantsWrite { interest.insert(.writable) }
        setInterest(interest)
    }

    func setInterest(_ interest: IOEvents) {
        guard var registration else { return }
        do throws(SocketError) {
            try loop.setInterest(&registration, interest)
            self.registration = registration
        } catch {
            // epoll_ctl on our own registered descriptor failing leaves us unable to wait for it: give it up.
            TransportLog.error("redis-client: \(error)")
            if isCarrying {
                connectionBroke("cannot wait for the socket: \(error)", countsAsFailure: true)
            } else {
                establishFailed(.unavailable("cannot wait for the socket: \(error)"))
            }
        }
    }
}
