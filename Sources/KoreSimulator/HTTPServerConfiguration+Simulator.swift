import HTTPServer

extension HTTPServerConfiguration {
    /// How the simulator is served (demo, `kore-sim`, tests): its handler never blocks, so it runs on the loop.
    public static func simulator(host: String, port: Int) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(host: host, port: port)
        configuration.runsHandlersOnEventLoop = true
        return configuration
    }
}
