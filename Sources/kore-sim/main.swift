import GatewayConfiguration
import Glibc
import GatewayConfiguration

let code = await SimulatorCommandLine.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current())
exit(code)
