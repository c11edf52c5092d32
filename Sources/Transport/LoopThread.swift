import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached pthread running `body`. The event loop blocks in epoll_wait, which must never happen on
/// Swift's cooperative pool, so each loop gets a thread of its own; so do the gateway's log and audit writers, which
/// block in write(2) and fsync(2) so that no loop ever does.
public enum LoopThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    public static func spawn(name: String, _ body: @escaping () -> Void) throws(SocketError) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SocketError(syscall: "pthread_create", errno: rc)
        }
        // Thread names are limited to 15 bytes; a failure here is cosmetic.
        _ = cepoll_set_thread_name(thread, String(name.prefix(15)))
        pthread_detach(thread)
    }
}
