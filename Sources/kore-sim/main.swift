import Foundation
import Gateway

let code = await SimulatorCommandLine.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
