import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GatewayCrypto
import JSONCore
import KoreSimulator
import TestSupport
import Testing

/// The `kore-sim` binary enforces Kore.ai's limit, and its flags change or lift it.
@Suite struct SimulatorRateLimitEndToEndTests {
    /// Starts `kore-sim` on a free port with `flags`; answers the statuses of `count` signed reads of one seed.
    static func statuses(flags: [String], count: Int) async throws -> (statuses: [Int], banner: String, lastBody: String) {
        let binary = try BinaryLocator.path("kore-sim")
        let process = try SpawnedProcess(binary, ["--port", "0"] + flags, environment: [:])
        let result: Result<(statuses: [Int], banner: String, lastBody: String), Error>
        do {
            result = .success(try await calls(process, count: count))
        } catch {
            result = .failure(error)
        }
        process.signal(SIGTERM)
        _ = await process.waitForExit(timeoutSeconds: 10)
        return try result.get()
    }

    private static func calls(_ process: SpawnedProcess, count: Int) async throws -> (statuses: [Int], banner: String, lastBody: String) {
        let banner = await process.line(0) ?? ""
        guard let portText = banner.split(separator: ":").dropFirst(2).first?.prefix(while: \.isNumber), let port = Int(portText) else {
            throw SpawnedProcess.Failure(description: "no port in the banner: \(process.output)")
        }
        let tenant = KoreSimulator.demoTenant
        var statuses: [Int] = []
        var lastBody = ""
        for _ in 0..<count {
            let now = Int(Date().timeIntervalSince1970)
            let claims: JSONValue = .object(["appId": .string(tenant.clientId), "iat": .int(now), "exp": .int(now + 300)])
            let token = JWT.sign(payloadJSON: JSONWriter.write(claims), secret: tenant.secret, algorithm: .hs256)
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/agentassist/api/v1/public/\(tenant.streamId)/campaign/\(Samples.v1VoiceDelete)?campaignType=voice"))
            var request = URLRequest(url: url)
            request.setValue(token, forHTTPHeaderField: "auth")
            request.setValue(tenant.streamId, forHTTPHeaderField: "iid")
            request.setValue(tenant.accountId, forHTTPHeaderField: "accountId")
            let (data, response) = try await GatewayHarness.session.data(for: request)
            statuses.append((response as? HTTPURLResponse)?.statusCode ?? 0)
            lastBody = String(decoding: data, as: UTF8.self)
        }
        return (statuses, banner, lastBody)
    }

    @Test func theFlagSetsTheLimitAndTheThirdCallIsRefusedWithKoreAisMessage() async throws {
        let run = try await Self.statuses(flags: ["--requests-per-minute", "2"], count: 3)
        #expect(run.statuses == [200, 200, 429], "\(run.banner)")
        #expect(run.banner.hasSuffix("2 calls per account in any 60 s"))
        #expect(run.lastBody.contains("You've exceeded the per-minute rate limit. Please wait for sometime before retrying."))
    }

    @Test func noRateLimitLiftsIt() async throws {
        let run = try await Self.statuses(flags: ["--no-rate-limit"], count: 65)
        #expect(run.statuses.allSatisfy { $0 == 200 }, "\(run.statuses)")
        #expect(run.banner.hasSuffix("no rate limit"))
    }

    @Test func theDefaultIsKoreAisSixty() async throws {
        let run = try await Self.statuses(flags: [], count: 61)
        #expect(run.statuses.filter { $0 == 200 }.count == 60 && run.statuses.last == 429, "\(run.statuses)")
    }

    @Test func aLimitBelowOneIsRefused() async throws {
        let binary = try BinaryLocator.path("kore-sim")
        let result = try await OffPool.run { try ChildProcess.run(binary, ["--port", "0", "--requests-per-minute", "0"], environment: [:]) }
        #expect(result.status == 2 && result.error.contains("--requests-per-minute"), "\(result.output)\(result.error)")
    }
}
