/// The decimal digits of a count or a port, written without a String in between (the encoders write status codes,
/// ports and Content-Length this way into their buffers).
public enum DecimalDigits {
    /// Calls `emit` with each digit of `n` as an ASCII byte, most significant first; `n` < 0 emits a single "0"
    /// (the encoders only write counts, ports and status codes).
    @inlinable
    public static func forEach(of n: Int, _ emit: (UInt8) -> Void) {
        guard n > 0 else { return emit(UInt8(ascii: "0")) }
        var divisor = 1
        while divisor <= n / 10 { divisor *= 10 }  // divisor * 10 <= n: cannot overflow
        while divisor > 0 {
            emit(UInt8(ascii: "0") + UInt8((n / divisor) % 10))
            divisor /= 10
        }
    }
}
