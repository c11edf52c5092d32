import TextCoding
#if canImport(Glibc)
import Glibc
#endif

/// Minimal diagnostics for conditions the transport survives (EMFILE, a double close). One line on stderr; the
/// application's request log is elsewhere, and the transport must not depend on it.
public enum TransportLog {
    public static func error(_ message: String) {
        let line = "{\"level\":\"error\",\"component\":\"transport\",\"message\":" + JSONStringEscaping.quoted(message) + "}\n"
        // write(2) on fd 2 rather than stdio's `stderr`, a global mutable the strict concurrency checker rejects.
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
