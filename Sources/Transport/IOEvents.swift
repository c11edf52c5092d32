import CEpoll

/// The readiness an event loop reports to a handler, or the interest a handler registers.
public struct IOEvents: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let readable = IOEvents(rawValue: 1 << 0)
    public static let writable = IOEvents(rawValue: 1 << 1)
    /// EPOLLHUP: both directions are gone. Reported even without interest.
    public static let hangup = IOEvents(rawValue: 1 << 2)
    /// EPOLLERR: a pending socket error. Reported even without interest.
    public static let error = IOEvents(rawValue: 1 << 3)
    /// EPOLLRDHUP: the peer shut down its sending side.
    public static let readHangup = IOEvents(rawValue: 1 << 4)

    /// Level-triggered interest mask for epoll_ctl. ERR and HUP are always reported by the kernel.
    var epollMask: UInt32 {
        var mask: UInt32 = 0
        if contains(.readable) { mask |= CEPOLL_IN }
        if contains(.writable) { mask |= CEPOLL_OUT }
        if contains(.readHangup) { mask |= CEPOLL_RDHUP }
        return mask
    }

    init(epollEvents e: UInt32) {
        var set: IOEvents = []
        if e & CEPOLL_IN != 0 { set.insert(.readable) }
        if e & CEPOLL_OUT != 0 { set.insert(.writable) }
        if e & CEPOLL_HUP != 0 { set.insert(.hangup) }
        if e & CEPOLL_ERR != 0 { set.insert(.error) }
        if e & CEPOLL_RDHUP != 0 { set.insert(.readHangup) }
        self = set
    }
}
