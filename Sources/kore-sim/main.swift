import GatewayConfiguration
import Glibc

let arguments = ProcessEnvironment.arguments()
guard !arguments.isEmpty else {
    ProcessEnvironment.printError("kore-sim: cannot read the command line (no arguments from the C library or /proc/self/cmdline)")
    exit(2)
}
let code = await SimulatorCommandLine.run(Array(arguments.dropFirst()), environment: ProcessEnvironment.current())
exit(code)
