import Foundation
import TestSupport
import Testing

/// The configuration's limits reach the HTTP server the gateway runs.
@Suite struct LimitsEndToEndTests {
    @Test func aBodyThatStallsGetsRequestTimeoutAfterTheConfiguredBodyTimeout() async throws {
        var options = GatewayHarness.Options()
        options.bodyTimeoutSeconds = 0.4
        let harness = try GatewayHarness(options)
        // Sent, read and timed on a thread of its own: the time measured is the gateway's, not how long Swift's
        // cooperative pool took to resume this test.
        let port = harness.port
        let (ending, waited) = try await OffPool.run {
            let client = try RawHTTPClient(port: port, receiveTimeoutSeconds: 10)
            let started = Date()
            // The head promises 20 bytes; only 2 arrive, then nothing.
            try client.send("PUT /campaigns/voice/cd-1 HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 20\r\n\r\n{\"")
            let ending = try WireEndToEndTests.readEnding(client)
            return (ending, Date().timeIntervalSince(started))
        }
        WireEndToEndTests.expectProblemAndClose(ending, status: 408, code: "request_timeout", "stalled body")
        // Not before the configured timeout, and long before the 30 s default would have fired.
        #expect(waited >= 0.35, "answered after \(waited) s, before the body timeout")
        #expect(waited < 10, "answered after \(waited) s: the configured body timeout did not apply")
        await harness.stop()
    }
}
