import HTTPServer
import Gateway
import Glibc
import Transport

/// `campaign-gateway demo`: the gateway against an in-process simulator, with the banner a newcomer copies from.
public enum DemoCommand {
    @Sendable public static func run(host: String, port: Int) async -> Int32 {
        let logs = LogSink.standardOutput()
        // Before anything listens, so a signal that arrives while starting is queued, not fatal.
        let signals = SignalWaiter(signals: GatewayRuntime.handledSignals)
        let demo: DemoEnvironment
        do {
            demo = try DemoEnvironment.start()
        } catch {
            GatewayCommandLine.printError("campaign-gateway: cannot start the demo simulator: \(error)")
            return 1
        }
        let runtime = GatewayRuntime(config: demo.config(host: host, port: port), configPath: nil, logs: logs,
                                     additionalRoutes: [demo.resetRoute()])
        let bound: Int
        do {
            bound = try runtime.start()
        } catch {
            GatewayCommandLine.printError("campaign-gateway: cannot start the demo on \(host):\(port): \(error)\nTry: campaign-gateway demo --port 8081")
            return 1
        }
        logs.flush()  // the start-up line before the banner, as they happened
        print(DemoEnvironment.banner(host: host, port: bound))
        fflush(nil)  // stdout is block-buffered when it is a pipe (docker logs, tests); the banner must show now
        await runtime.runUntilTerminated(signals: signals)
        await demo.simulatorServer.shutdown(graceSeconds: 1)
        logs.flush()
        return 0
    }
}
