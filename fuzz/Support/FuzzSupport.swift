#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by every fuzz target (compiled into each one by scripts/fuzz).
enum Fuzz {
    /// Stops the run with a message: libFuzzer reports the abort as a crash and saves the input as an artifact.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
        if !condition() { fail(message(), file: file, line: line) }
    }

    static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        var text = "FUZZ INVARIANT VIOLATED at \(file):\(line): \(message)\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        abort()
    }

    /// FNV-1a of the input: a deterministic seed, so split patterns reproduce from the input alone.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}

/// SplitMix64: small, deterministic.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A heap buffer of exactly the given bytes. Parsers see these rather than slices of a larger buffer, so AddressSanitizer
/// catches a read one byte past the end of what they were given.
final class ExactBuffer {
    let pointer: UnsafeMutableRawBufferPointer

    init(_ parts: UnsafeRawBufferPointer...) {
        let count = parts.reduce(0) { $0 + $1.count }
        pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        var offset = 0
        for part in parts where !part.isEmpty {
            UnsafeMutableRawBufferPointer(rebasing: pointer[offset..<(offset + part.count)]).copyMemory(from: part)
            offset += part.count
        }
    }

    /// The bytes, valid only inside `body`: the buffer is freed as soon as its last reference goes, and Swift may
    /// end a reference's lifetime at its last use, so a bare pointer must never outlive a call like this one.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(UnsafeRawBufferPointer(pointer)) }
    }

    var count: Int { pointer.count }

    deinit { pointer.deallocate() }
}
