#if canImport(Glibc)
import Glibc
#endif

/// Ignores SIGPIPE for the whole process. Every send already uses MSG_NOSIGNAL; this also covers writes that
/// bypass it (a library writing to a closed pipe). Idempotent.
public func ignoreSIGPIPE() {
    _ = signal(SIGPIPE, SIG_IGN)
}
