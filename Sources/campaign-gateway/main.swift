import Foundation
import Gateway

// Thin on purpose: everything testable lives in the Gateway module.
let code = await GatewayCommandLine.run(Array(CommandLine.arguments.dropFirst()))
exit(code)
