import CEpoll
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Host name resolution away from the event loops. `getaddrinfo` blocks (for seconds when a DNS server is slow), so
/// lookups run on one thread of their own and the answer is handed back through a callback. Numeric hosts are parsed
/// on the spot; answers are cached briefly (positive and negative), so a busy gateway asks its resolver about once
/// per host and TTL instead of once per connection.
public final class NameResolver: Sendable {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    private struct Entry {
        var result: Result<[SocketAddress], Failure>
        var expires: MonotonicInstant
    }

    private struct State {
        var cache: [String: Entry] = [:]
        /// Callbacks of lookups in flight, by host: concurrent connects to one host share one lookup.
        var waiting: [String: [@Sendable (Result<[SocketAddress], Failure>) -> Void]] = [:]
    }

    private let queue = DispatchQueue(label: "name-resolver")
    private let state = Mutex(State())
    private let positiveSeconds: Double
    private let negativeSeconds: Double
    /// Bounds the cache: names come from configuration, so this only guards against a misuse.
    private static let maxEntries = 1024

    public init(positiveSeconds: Double = 30, negativeSeconds: Double = 2) {
        self.positiveSeconds = positiveSeconds
        self.negativeSeconds = negativeSeconds
    }

    /// The shared resolver of the process.
    public static let shared = NameResolver()

    /// Numeric IPv4/IPv6 hosts (and `localhost`) without any lookup; nil for a name.
    public static func numeric(host: String, port: Int) -> SocketAddress? {
        try? SocketAddress(host: host, port: port)
    }

    /// The cached answer, if there is a fresh one: lets a caller on a loop skip the thread hop.
    public func cached(host: String, port: Int) -> Result<[SocketAddress], Failure>? {
        if let address = Self.numeric(host: host, port: port) { return .success([address]) }
        let now = MonotonicInstant.now()
        return state.withLock { state in
            guard let entry = state.cache[host], now < entry.expires else { return nil }
            return entry.result.map { $0.map { $0.withPort(port) } }
        }
    }

    /// Resolves `host`; `completion` runs on the resolver's thread (or at once, for numeric or cached hosts).
    public func resolve(host: String, port: Int, _ completion: @escaping @Sendable (Result<[SocketAddress], Failure>) -> Void) {
        if let hit = cached(host: host, port: port) { return completion(hit) }
        let first = state.withLock { state -> Bool in
            let wrapped: @Sendable (Result<[SocketAddress], Failure>) -> Void = { completion($0.map { $0.map { $0.withPort(port) } }) }
            if state.waiting[host] != nil {
                state.waiting[host]?.append(wrapped)
                return false
            }
            state.waiting[host] = [wrapped]
            return true
        }
        guard first else { return }
        queue.async { [self] in
            let result = Self.lookup(host: host)
            let expires = MonotonicInstant.now().adding(seconds: (try? result.get()) == nil ? negativeSeconds : positiveSeconds)
            let callbacks = state.withLock { state -> [@Sendable (Result<[SocketAddress], Failure>) -> Void] in
                if state.cache.count >= Self.maxEntries { state.cache.removeAll() }
                state.cache[host] = Entry(result: result, expires: expires)
                return state.waiting.removeValue(forKey: host) ?? []
            }
            for callback in callbacks { callback(result) }
        }
    }

    /// getaddrinfo for stream sockets, IPv4 answers first (most upstreams and proxies listen there first).
    static func lookup(host: String) -> Result<[SocketAddress], Failure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let list else {
            let reason = gai_strerror(rc).map { String(cString: $0) } ?? "error \(rc)"
            return .failure(Failure(description: "cannot resolve \(host): \(reason)"))
        }
        defer { freeaddrinfo(list) }
        var v4: [SocketAddress] = []
        var v6: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = list
        while let current = node {
            if let raw = current.pointee.ai_addr, current.pointee.ai_addrlen <= MemoryLayout<sockaddr_storage>.size {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: Int(current.pointee.ai_addrlen)))
                }
                let address = SocketAddress(storage: storage, length: current.pointee.ai_addrlen)
                if address.family == AF_INET { v4.append(address) } else if address.family == AF_INET6 { v6.append(address) }
            }
            node = current.pointee.ai_next
        }
        let all = v4 + v6
        return all.isEmpty ? .failure(Failure(description: "cannot resolve \(host): no address")) : .success(all)
    }
}
