import Gateway
import RedisClient
import Transport
#if canImport(Glibc)
import Glibc
#endif

// The driver of scripts/profile-redis-callgrind's pacer modes: N pacing decisions for one account, one after the
// other, from a task on an event loop's thread (a gateway handler's case), with a budget they never exhaust:
//   paced       RedisPacingStore.acquire against 127.0.0.1:PORT (one EVALSHA of the pacing script, its reply decoded,
//               the slot kept for the fallback and the replay)
//   in-process  InProcessPacingStore.acquire (no Redis: the sliding window behind a lock), for comparison
// Usage: paced-call PORT N MODE

@main
struct PacedCall {
    static func fail(_ message: String) -> Never {
        var line = "paced-call: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(1)
    }

    static func rounds(_ store: any PacingStore, _ count: Int) async {
        let policy = PacingPolicy(limit: 10_000_000, windowSeconds: 60)
        for _ in 0..<count {
            guard case .granted = await store.acquire(account: "profile-account", policy: policy, maxWaitSeconds: 0) else {
                fail("a decision was refused (is Redis up?)")
            }
        }
    }

    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let port = Int(arguments[1]), let count = Int(arguments[2]),
              ["paced", "in-process"].contains(arguments[3]) else {
            fail("usage: paced-call PORT N paced|in-process")
        }
        let configuration = RedisClient.Configuration(endpoint: RedisEndpoint(host: "127.0.0.1", port: port),
                                                      commandTimeoutSeconds: 30)
        let link = SharedStateLink(client: RedisClient(configuration: configuration), keyPrefix: "profile:",
                                   timeoutSeconds: 30, logs: .discard, metrics: SharedStateMetrics())
        let store: any PacingStore = arguments[3] == "paced" ? RedisPacingStore(link: link, fallbackReplicas: 4) : InProcessPacingStore()
        let loop: EventLoop
        do {
            loop = try EventLoop(name: "profile-loop")
            try loop.start()
        } catch {
            fail("\(error)")
        }
        await Task(executorPreference: LoopExecutor(loop: loop)) { await rounds(store, count) }.value
        loop.stop()
        await link.shutdown()
    }
}
