/// A live registration: the descriptor and the generation that was packed into `epoll_data`. Events carrying an
/// older generation belong to a descriptor number that has since been closed and reused; the loop drops them.
public struct Registration: Sendable, Hashable {
    public let fd: Int32
    public let generation: UInt32
    public internal(set) var interest: IOEvents

    var epollData: UInt64 { UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd)) }
}
