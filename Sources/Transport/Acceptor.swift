#if canImport(Glibc)
import Glibc
#endif

/// Accepts connections on a listening socket from its event loop and hands each one to `onAccept`.
///
/// Resilient by design: ECONNABORTED/EPROTO/EPERM concern one connection and are skipped; EMFILE/ENFILE/ENOBUFS/
/// ENOMEM leave the listener open but pause accepting for `backoffSeconds` (with level-triggered readiness, retrying
/// at once would spin the CPU on a backlog it cannot drain). Logged once per episode.
///
/// `@unchecked Sendable`: all mutable state is touched on `loop`'s thread only (the entry points assert it); the class is Sendable so it can be
/// captured by work sent to that loop.
public final class Acceptor: EventHandler, @unchecked Sendable {
    public let socket: ListeningSocket
    private let loop: EventLoop
    private let onAccept: (Int32, SocketAddress) -> Void
    private let backoffSeconds: Double
    private var registration: Registration?
    private var backoffTimer: TimerID?
    private var exhausted = false
    private var closed = false

    /// Accepts per readiness event before yielding to other connections on the loop.
    private static let acceptsPerWake = 128

    public init(socket: ListeningSocket, loop: EventLoop, backoffSeconds: Double = 0.1,
                onAccept: @escaping (Int32, SocketAddress) -> Void) {
        self.socket = socket
        self.loop = loop
        self.backoffSeconds = backoffSeconds
        self.onAccept = onAccept
    }

    /// Registers for readability. Loop thread only.
    public func start() throws(SocketError) {
        loop.assertInEventLoop()
        registration = try loop.register(fd: socket.fd, interest: .readable, handler: self)
    }

    /// Deregisters and closes the listening socket. Idempotent; loop thread only.
    public func close() {
        loop.assertInEventLoop()
        guard !closed else { return }
        closed = true
        if let timer = backoffTimer { loop.cancelTimer(timer) }
        backoffTimer = nil
        if let registration { loop.deregister(registration) }
        registration = nil
        Syscall.close(socket.fd)
    }

    public func handleEvents(_ events: IOEvents) {
        loop.assertInEventLoop()
        guard !closed else { return }
        for _ in 0..<Self.acceptsPerWake {
            do {
                guard let (fd, peer) = try socket.accept() else { break }
                if exhausted {
                    exhausted = false
                    TransportLog.error("accept recovered")
                }
                onAccept(fd, peer)
            } catch {
                switch error.errno {
                case ECONNABORTED, EPROTO, EPERM:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    if !exhausted {
                        exhausted = true
                        TransportLog.error("accept paused: \(error)")
                    }
                    pause()
                    return
                default:
                    TransportLog.error("accept paused: \(error)")
                    pause()
                    return
                }
            }
        }
    }

    private func pause() {
        guard var registration, backoffTimer == nil else { return }
        try? loop.setInterest(&registration, [])
        self.registration = registration
        backoffTimer = loop.scheduleTimer(at: MonotonicInstant.now().adding(seconds: backoffSeconds)) { [weak self] in
            guard let self, !self.closed, var registration = self.registration else { return }
            self.backoffTimer = nil
            try? self.loop.setInterest(&registration, .readable)
            self.registration = registration
        }
    }
}
