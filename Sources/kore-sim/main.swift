import GatewayConfiguration
import Glibc

let code = await SimulatorCommandLine.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current())
exit(code)
