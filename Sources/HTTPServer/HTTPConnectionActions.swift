/// The actions one input of `HTTPConnectionStateMachine` produces, in order, without their payloads: the request of
/// a `dispatch` and the response of a `send` stay in the machine until the connection takes them
/// (`takeDispatchedRequest`, `takeResponseToSend`). A plain value, so no array is allocated and no enum with a
/// request or response inside is copied and destroyed per event.
///
/// An input produces at most three actions (a write completed: a pipelined request's `100 Continue` and its dispatch
/// or rejection, then a close) and at most one dispatch and one send.
struct HTTPConnectionActions {
    enum Kind: UInt8 {
        case sendContinue = 1, dispatch, send, shutdownWrite, close
    }

    /// One kind per byte, the first action in the lowest byte.
    private var packed: UInt64 = 0
    private(set) var count = 0

    static var none: HTTPConnectionActions { HTTPConnectionActions() }

    init() {}

    init(_ kind: Kind) {
        append(kind)
    }

    mutating func append(_ kind: Kind) {
        guard count < 8 else {
            // Never reached (three at most); should it be, the connection ends rather than losing an action.
            packed = (packed & ~(UInt64(0xFF) << 56)) | (UInt64(Kind.close.rawValue) << 56)
            return
        }
        packed |= UInt64(kind.rawValue) << UInt64(8 * count)
        count += 1
    }

    mutating func append(contentsOf other: HTTPConnectionActions) {
        for index in 0..<other.count {
            if let kind = other[index] { append(kind) }
        }
    }

    subscript(index: Int) -> Kind? {
        guard index >= 0, index < count else { return nil }
        return Kind(rawValue: UInt8(truncatingIfNeeded: packed >> UInt64(8 * index)))
    }
}
