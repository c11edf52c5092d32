#if canImport(Glibc)
import Glibc
#endif

/// CR LF-terminated lines out of bytes that arrive in pieces, the same way for the server's request parser and the
/// client's response parser. Only bytes not scanned before are searched (memchr for the LF), so the cost stays
/// linear however a line is split; a line split across reads is carried, bounded by the caller's limit, so a line
/// without end cannot grow memory.
public struct HTTPLineScanner: Sendable {
    public enum Scan: Sendable, Equatable {
        case incomplete
        case tooLong
        /// A line ended by LF without CR (RFC 9112 section 2.2: not accepted; a smuggling vector).
        case bareLF
        /// The line's content (CR LF excluded) is `bytes[start..<end]`, or the carried line when `start < 0`.
        case complete(start: Int, end: Int)
    }

    /// The unfinished line carried across calls (never includes bytes of a finished line).
    public private(set) var carried: [UInt8] = []

    /// Nothing allocated until a line is split across reads: most heads arrive whole (an upstream's answer on a
    /// fresh parser did, and paid a malloc for a buffer it never used).
    public init() {}

    /// Finds the next LF from `index` (which moves past what was consumed).
    public mutating func scan(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, limit: Int) -> Scan {
        let available = bytes.count - index
        guard available > 0, let base = bytes.baseAddress else { return .incomplete }
        guard let hit = memchr(base + index, Int32(HTTPByteClass.lf), available) else {
            // One byte of slack for a CR whose LF has not arrived yet.
            if carried.count + available - 1 > limit { return .tooLong }
            if carried.capacity == 0 { carried.reserveCapacity(256) }
            carried.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...]))
            index = bytes.count
            return .incomplete
        }
        let lf = UnsafeRawPointer(hit) - base
        let start = index
        index = lf + 1
        // The length test comes first and uses the same formula as for an unfinished line, so the verdict on a line
        // that is both too long and malformed does not depend on how its bytes were split.
        if carried.count + (lf - start) - 1 > limit { return .tooLong }
        if carried.isEmpty {
            guard lf > start, bytes[lf - 1] == HTTPByteClass.cr else { return .bareLF }
            return .complete(start: start, end: lf - 1)
        }
        carried.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<lf]))
        guard carried.last == HTTPByteClass.cr else { return .bareLF }
        carried.removeLast()
        return .complete(start: -1, end: -1)
    }

    /// The length of a completed line.
    public func length(start: Int, end: Int) -> Int {
        start < 0 ? carried.count : end - start
    }

    /// Takes the carried line out (so the caller can read it while mutating itself); give the buffer back with
    /// `recycle` to keep its capacity.
    public mutating func takeCarried() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &carried)
        return taken
    }

    /// Empties `buffer` and keeps it for the next carried line.
    public mutating func recycle(_ buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        swap(&buffer, &carried)
    }

    /// Forgets any carried bytes.
    public mutating func reset() {
        carried.removeAll(keepingCapacity: true)
    }
}
