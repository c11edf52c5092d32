@testable import Gateway
import GatewayConfiguration
import HTTPServer
import TestSupport
import Testing

/// A caller carries its tenant's runtime from the state whose authenticator admitted it, so the request's calls use
/// that tenant's token cache, breaker and routes without looking the name up again: it must be the state's very
/// runtime for the tenant the caller was bound to, whichever way the tenant was chosen.
@Suite struct AuthenticatedCallerTests {
    @Test func theCallerCarriesTheStatesRuntimeOfItsTenant() async throws {
        let h = try GatewayHarness()
        let state = h.runtime.handler.state
        await h.stop()
        var checked = 0
        for client in state.config.clients {
            for name in client.tenants {
                // Named in X-Tenant, and (for a key bound to one tenant) implied.
                var choices = [HTTPHeaders([("X-Tenant", name)])]
                if client.tenants.count == 1 { choices.append(HTTPHeaders()) }
                for headers in choices {
                    guard let scope = client.scopes.first,
                          case .success(let caller) = state.authenticator.authorize(client, scope: scope, headers: headers) else {
                        Issue.record("\(client.name) was refused tenant \(name)")
                        continue
                    }
                    #expect(caller.tenant.name == name)
                    #expect(caller.runtime != nil && caller.runtime === state.tenants[name], "\(client.name) \(name)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 2)
    }
}
