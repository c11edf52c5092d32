import RedisClient
import Transport
#if canImport(Glibc)
import Glibc
#endif

// The driver of scripts/profile-redis-callgrind: N command round trips through the Redis client against a server on
// 127.0.0.1:PORT, one after the other, in one of three shapes:
//   on-loop   INCR from a task running on an event loop's thread (a gateway handler's case: no thread hop)
//   off-loop  INCR from a task on Swift's global pool (the client's own loop, a hop each way)
//   script    EVALSHA of a small script (a pacer's call: one round trip, the script cached by the server)
// Usage: redis-roundtrip PORT N MODE

@main
struct RedisRoundTrip {
    static func fail(_ message: String) -> Never {
        var line = "redis-roundtrip: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(1)
    }

    static func rounds(_ client: RedisClient, _ count: Int, mode: String) async {
        let script = RedisScript("return redis.call('INCR', KEYS[1])")
        for _ in 0..<count {
            do {
                if mode == "script" {
                    _ = try await client.evalScript(script, keys: ["profile:script"])
                } else {
                    _ = try await client.send(["INCR", "profile:counter"])
                }
            } catch {
                fail("\(error)")
            }
        }
    }

    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let port = Int(arguments[1]), let count = Int(arguments[2]),
              ["on-loop", "off-loop", "script"].contains(arguments[3]) else {
            fail("usage: redis-roundtrip PORT N on-loop|off-loop|script")
        }
        let mode = arguments[3]
        let configuration = RedisClient.Configuration(endpoint: RedisEndpoint(host: "127.0.0.1", port: port),
                                                      commandTimeoutSeconds: 30)
        let client = RedisClient(configuration: configuration)
        if mode == "off-loop" {
            await rounds(client, count, mode: mode)
        } else {
            let loop: EventLoop
            do {
                loop = try EventLoop(name: "profile-loop")
                try loop.start()
            } catch {
                fail("\(error)")
            }
            await Task(executorPreference: LoopExecutor(loop: loop)) { await rounds(client, count, mode: mode) }.value
            loop.stop()
        }
        await client.shutdown()
    }
}
