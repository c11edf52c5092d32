import Gateway
import GatewayDemo
import Glibc

// Thin on purpose: the command line lives in the Gateway module, the demo in GatewayDemo.
let code = await GatewayCommandLine.run(Array(CommandLine.arguments.dropFirst()), demo: DemoCommand.run)
exit(code)
