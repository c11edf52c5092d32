/// What a non-blocking read or write did. `read() == 0` is `.endOfFile`, decided before `errno` is looked at.
public enum IOResult: Sendable, Equatable {
    /// This many bytes were transferred (never 0 for a read).
    case processed(Int)
    /// The kernel buffer is empty (read) or full (write): EAGAIN / EWOULDBLOCK.
    case wouldBlock
    /// The peer closed its sending side (read returned 0).
    case endOfFile
}
