import Gateway
import GatewayConfiguration
import GatewayDemo
import Glibc

// Thin on purpose: the command line lives in the Gateway module, the demo in GatewayDemo.
// The command line without /proc (where it is missing, CommandLine.arguments is empty and `reload` would start the
// demo instead). No program name at all means the arguments could not be read: refuse rather than guess.
let arguments = ProcessEnvironment.arguments()
guard !arguments.isEmpty else {
    ProcessEnvironment.printError("campaign-gateway: cannot read the command line (no arguments from the C library or /proc/self/cmdline)")
    exit(2)
}
let code = await GatewayCommandLine.run(Array(arguments.dropFirst()), demo: DemoCommand.run)
exit(code)
