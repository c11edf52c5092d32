import Foundation
import TestSupport
import Testing

/// The configuration's limits reach the HTTP server the gateway runs.
@Suite struct LimitsEndToEndTests {
    @Test func aBodyThatStallsGetsRequestTimeoutAfterTheConfiguredBodyTimeout() async throws {
        var options = GatewayHarness.Options()
        options.bodyTimeoutSeconds = 0.4
        let harness = try GatewayHarness(options)
        let client = try RawHTTPClient(port: harness.port, receiveTimeoutSeconds: 10)
        let started = Date()
        // The head promises 20 bytes; only 2 arrive, then nothing.
        try client.send("PUT /campaigns/voice/cd-1 HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 20\r\n\r\n{\"")
        let ending = try WireEndToEndTests.readEnding(client)
        let waited = Date().timeIntervalSince(started)
        WireEndToEndTests.expectProblemAndClose(ending, status: 408, code: "request_timeout", "stalled body")
        // Not before the configured timeout, and long before the 30 s default would have fired.
        #expect(waited >= 0.35, "answered after \(waited) s, before the body timeout")
        #expect(waited < 10, "answered after \(waited) s: the configured body timeout did not apply")
        await harness.stop()
    }
}
