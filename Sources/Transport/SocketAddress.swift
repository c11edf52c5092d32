#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 socket address, built from a numeric host and a port, and printable as `ip:port`.
public struct SocketAddress: Sendable {
    var storage: sockaddr_storage
    var length: socklen_t

    /// Parses a numeric IPv4/IPv6 host (`localhost` means 127.0.0.1). Names are not resolved: a server binds an
    /// address, and a DNS lookup at start-up would only hide a configuration mistake.
    public init(host: String, port: Int) throws(SocketError) {
        guard (0...65535).contains(port) else { throw SocketError(syscall: "bind", errno: EINVAL) }
        let name = host == "localhost" ? "127.0.0.1" : host
        var storage = sockaddr_storage()
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, name, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: v4) { dst.copyMemory(from: $0) } }
            self.storage = storage
            self.length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else if inet_pton(AF_INET6, name.hasPrefix("[") ? String(name.dropFirst().dropLast()) : name,
                            &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: v6) { dst.copyMemory(from: $0) } }
            self.storage = storage
            self.length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            throw SocketError(syscall: "inet_pton", errno: EINVAL)
        }
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    var family: Int32 { Int32(storage.ss_family) }

    /// The same address with another port (resolver answers are cached without one).
    public func withPort(_ port: Int) -> SocketAddress {
        var copy = self
        let networkPort = in_port_t(UInt16(clamping: port).bigEndian)
        guard family == AF_INET || family == AF_INET6 else { return copy }
        // sin_port and sin6_port both follow the 2-byte family field (Linux's sockaddr_in and sockaddr_in6).
        withUnsafeMutableBytes(of: &copy.storage) { raw in
            raw.storeBytes(of: networkPort, toByteOffset: 2, as: in_port_t.self)
        }
        return copy
    }

    /// The port in host byte order.
    public var port: Int {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET: return Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
            case AF_INET6: return Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            default: return 0
            }
        }
    }

    /// `1.2.3.4:80` or `[::1]:80`.
    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        func string(_ chars: [CChar]) -> String {
            let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
        return withUnsafeBytes(of: storage) { raw -> String in
            switch Int32(storage.ss_family) {
            case AF_INET:
                var addr = raw.load(as: sockaddr_in.self).sin_addr
                guard inet_ntop(AF_INET, &addr, &text, socklen_t(text.count)) != nil else { return "?" }
                return "\(string(text)):\(port)"
            case AF_INET6:
                var addr = raw.load(as: sockaddr_in6.self).sin6_addr
                guard inet_ntop(AF_INET6, &addr, &text, socklen_t(text.count)) != nil else { return "?" }
                return "[\(string(text))]:\(port)"
            default:
                return "?"
            }
        }
    }
}
