import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing
import TestSupport

/// Every file in `examples/` works as it stands: each request body against the `kore-sim` and `campaign-gateway serve`
/// binaries with `examples/local-gateway.json`, on its v1 and its v2 tenant (schedules: v2 only, v1 answers 501), and
/// `examples/campaigns.http` run top to bottom against the demo, the way VS Code's REST Client or JetBrains' HTTP
/// client would run it.
@Suite struct ExamplesEndToEndTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: examples.appendingPathComponent(name))
    }

    struct Answer: Sendable {
        var status: Int
        var body: String
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
    }

    static func send(_ method: String, _ url: String, headers: [(String, String)], body: Data?) async throws -> Answer {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await GatewayHarness.session.data(for: request)
        return Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// `kore-sim` and `campaign-gateway serve` from a copy of `examples/local-gateway.json` (its secret file beside
    /// it), on free ports instead of the printed 9090 and 8081.
    final class LocalPair: Sendable {
        let simulator: SpawnedProcess
        let gateway: SpawnedProcess
        let base: String
        let folder: String

        private init(simulator: SpawnedProcess, gateway: SpawnedProcess, base: String, folder: String) {
            self.simulator = simulator
            self.gateway = gateway
            self.base = base
            self.folder = folder
        }

        static func start() async throws -> LocalPair {
            let (pair, port) = try await OffPool.run { try spawn() }
            do {
                try await FreePort.waitUntilReady(port: port)
            } catch {
                await pair.stop()
                throw SpawnedProcess.Failure(description: "the gateway did not get ready: \(pair.gateway.output)")
            }
            return pair
        }

        /// Blocking (it waits for kore-sim's first line): run off the pool.
        private static func spawn() throws -> (LocalPair, Int) {
            let folder = NSTemporaryDirectory() + "examples-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: ExamplesEndToEndTests.examples.appendingPathComponent("local-kore-client-secret"),
                                             to: URL(fileURLWithPath: folder + "/local-kore-client-secret"))
            let config = String(decoding: try ExamplesEndToEndTests.example("local-gateway.json"), as: UTF8.self)
            try config.write(toFile: folder + "/sim.json", atomically: true, encoding: .utf8)
            let simulator = try SpawnedProcess(try BinaryLocator.path("kore-sim"), ["--port", "0", "--config", folder + "/sim.json"],
                                               environment: ["PATH": "/usr/bin:/bin"])
            let line = simulator.line(0) ?? ""
            guard let range = line.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) else {
                simulator.signal(SIGKILL)
                throw SpawnedProcess.Failure(description: "kore-sim printed no address: \(simulator.output)")
            }
            let port = try FreePort.find()
            let served = config.replacingOccurrences(of: "http://127.0.0.1:9090", with: String(line[range]))
                .replacingOccurrences(of: #""port": 8081"#, with: "\"port\": \(port)")
            try served.write(toFile: folder + "/gateway.json", atomically: true, encoding: .utf8)
            let gateway: SpawnedProcess
            do {
                gateway = try SpawnedProcess(try BinaryLocator.path("campaign-gateway"), ["serve", "--config", folder + "/gateway.json"],
                                             environment: ["PATH": "/usr/bin:/bin"])
            } catch {
                simulator.signal(SIGKILL)
                throw error
            }
            return (LocalPair(simulator: simulator, gateway: gateway, base: "http://127.0.0.1:\(port)", folder: folder), port)
        }

        func stop() async {
            let processes = [gateway, simulator], folder = folder
            _ = try? await OffPool.run {
                for process in processes {
                    process.signal(SIGTERM)
                    if process.waitForExit(timeoutSeconds: 10) == nil { process.signal(SIGKILL) }
                }
                try? FileManager.default.removeItem(atPath: folder)
            }
        }

        func send(_ method: String, _ path: String, tenant: String, file: String? = nil) async throws -> Answer {
            var headers = [("Authorization", "Bearer cgw_local_key_0123456789abcdef"), ("X-Tenant", tenant)]
            if file != nil { headers.append(("Content-Type", "application/json")) }
            return try await ExamplesEndToEndTests.send(method, base + path, headers: headers,
                                                        body: try file.map(ExamplesEndToEndTests.example))
        }
    }

    static let creates = [
        ("voice", "create-voice-progressive.json", "progressive"), ("voice", "create-voice-preview.json", "preview"),
        ("voice", "create-voice-agentless.json", "agentless"), ("sms", "create-sms-simple.json", "simple"),
        ("sms", "create-sms-template.json", "simple"), ("sms", "create-sms-advanced.json", "advanced"),
    ]

    @Test(arguments: ["local-v1", "local-v2"])
    func everyExampleBodyWorksOnBothVersions(tenant: String) async throws {
        let pair = try await LocalPair.start()
        do {
            try await Self.exercise(pair, tenant: tenant)
        } catch {
            await pair.stop()
            throw error
        }
        await pair.stop()
    }

    static func exercise(_ pair: LocalPair, tenant: String) async throws {
        for (type, file, mode) in creates {
            let created = try await pair.send("POST", "/campaigns/\(type)", tenant: tenant, file: file)
            #expect(created.status == 201, "\(file) on \(tenant): \(created.body)")
            let campaign = created.json?["campaign"] as? [String: Any]
            let id = try #require(campaign?["id"] as? String, "\(file): \(created.body)")
            let read = try await pair.send("GET", "/campaigns/\(type)/\(id)", tenant: tenant)
            #expect(read.status == 200, "\(file) on \(tenant): \(read.body)")
            let section = (read.json?["campaign"] as? [String: Any])?[type] as? [String: Any]
            #expect((section?[type == "voice" ? "dialingMode" : "format"] as? String) == mode, "\(file): \(read.body)")
            // What was read goes back unchanged (every example can be read, edited and written again).
            let readBack = try #require(read.json?["campaign"] as? [String: Any])
            let put = try await ExamplesEndToEndTests.send("PUT", pair.base + "/campaigns/\(type)/\(id)", headers: [
                ("Authorization", "Bearer cgw_local_key_0123456789abcdef"), ("X-Tenant", tenant), ("Content-Type", "application/json"),
            ], body: try JSONSerialization.data(withJSONObject: readBack))
            #expect(put.status == 200, "\(file) read back on \(tenant): \(put.body)")
        }
        let seedVoice = "cd-dcebc67-d981-4469-b220-5a4ea567xxxx", seedSMS = "cd-3aefda80-f98e-5f4f-ad41-92803abbxxxx"
        let voice = try await pair.send("PUT", "/campaigns/voice/\(seedVoice)", tenant: tenant, file: "update-voice.json")
        #expect(voice.status == 200, "update-voice.json on \(tenant): \(voice.body)")
        let sms = try await pair.send("PUT", "/campaigns/sms/\(seedSMS)", tenant: tenant, file: "update-sms.json")
        #expect(sms.status == 200, "update-sms.json on \(tenant): \(sms.body)")
        for file in ["schedule-daily.json", "schedule-weekly.json"] {
            let scheduled = try await pair.send("PUT", "/campaigns/voice/\(seedVoice)/schedule", tenant: tenant, file: file)
            if tenant == "local-v1" {
                #expect(scheduled.status == 501 && scheduled.json?["code"] as? String == "not_supported_upstream", "\(scheduled.body)")
            } else {
                #expect(scheduled.status == 200, "\(file) on \(tenant): \(scheduled.body)")
                let every = ((scheduled.json?["schedule"] as? [String: Any])?["recurrence"] as? [String: Any])?["every"] as? String
                #expect(every == (file.contains("daily") ? "day" : "week"), "\(scheduled.body)")
            }
        }
    }

    /// One request of a `.http` file.
    struct FileRequest: Sendable {
        var title: String
        var method: String
        var url: String
        var headers: [(String, String)]
        var bodyFile: String?
        var body: String?
    }

    /// The subset of the request-file format the example uses, read as both clients read it: `@name = value`
    /// variables, `###` between requests (the rest of the line is a title), `#` comment lines, the request line,
    /// headers up to a blank line, then a body or `< ./file` (relative to the `.http` file).
    static func parse(_ text: String, overriding: [String: String]) -> [FileRequest] {
        var variables: [String: String] = [:]
        var requests: [FileRequest] = []
        var blocks: [(title: String, lines: [String])] = [("", [])]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("###") {
                blocks.append((String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), []))
            } else if line.hasPrefix("@"), let equals = line.firstIndex(of: "=") {
                let name = line[line.index(after: line.startIndex)..<equals].trimmingCharacters(in: .whitespaces)
                variables[name] = overriding[name] ?? line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            } else if !line.hasPrefix("#") {
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        func expand(_ text: String) -> String {
            var out = text
            for (name, value) in variables { out = out.replacingOccurrences(of: "{{\(name)}}", with: value) }
            return out
        }
        for block in blocks {
            var lines = block.lines.drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
            guard let requestLine = lines.first else { continue }
            lines = lines.dropFirst()
            let parts = requestLine.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            var request = FileRequest(title: block.title, method: parts[0], url: expand(parts[1]), headers: [])
            while let header = lines.first, !header.trimmingCharacters(in: .whitespaces).isEmpty {
                lines = lines.dropFirst()
                if let colon = header.firstIndex(of: ":") {
                    request.headers.append((String(header[..<colon]), expand(header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))))
                }
            }
            let body = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if body.hasPrefix("< ") {
                request.bodyFile = String(body.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            } else if !body.isEmpty {
                request.body = expand(body)
            }
            requests.append(request)
        }
        return requests
    }

    @Test func campaignsHTTPRunsTopToBottomAgainstTheDemo() async throws {
        let text = String(decoding: try Self.example("campaigns.http"), as: UTF8.self)
        let binary = try BinaryLocator.path("campaign-gateway")
        let (demo, base) = try await OffPool.run { () throws -> (SpawnedProcess, String?) in
            let demo = try SpawnedProcess(binary, ["demo", "--port", "0"], environment: ["PATH": "/usr/bin:/bin"])
            for index in 0..<40 {
                guard let line = demo.line(index) else { break }
                if let range = line.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) { return (demo, String(line[range])) }
            }
            return (demo, nil)
        }
        do {
            try await Self.runFile(text, base: base, demo: demo)
        } catch {
            await Self.stop(demo)
            throw error
        }
        await Self.stop(demo)
    }

    static func stop(_ demo: SpawnedProcess) async {
        _ = try? await OffPool.run {
            demo.signal(SIGTERM)
            if demo.waitForExit(timeoutSeconds: 10) == nil { demo.signal(SIGKILL) }
        }
    }

    static func runFile(_ text: String, base: String?, demo: SpawnedProcess) async throws {
        let gateway = try #require(base, "the demo printed no address: \(demo.output)")
        let requests = parse(text, overriding: ["gateway": gateway])
        #expect(requests.count >= 20, "\(requests.map(\.title))")
        // Every operation and every example body appears in the file.
        let files = Set(requests.compactMap(\.bodyFile).map { URL(fileURLWithPath: $0).lastPathComponent })
        let bodies = try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { ($0.hasPrefix("create-") || $0.hasPrefix("update-") || $0.hasPrefix("schedule-")) && $0.hasSuffix(".json") }
        #expect(files == Set(bodies), "bodies not run by campaigns.http: \(Set(bodies).subtracting(files))")
        for request in requests where !request.url.contains("{{") {
            let body = try request.bodyFile.map { try Data(contentsOf: examples.appendingPathComponent($0)) } ?? request.body.map { Data($0.utf8) }
            let answer = try await send(request.method, request.url, headers: request.headers, body: body)
            #expect((200...299).contains(answer.status), "\(request.title) (\(request.method) \(request.url)): \(answer.status) \(answer.body)")
        }
        #expect(requests.allSatisfy { !$0.url.contains("{{") && !$0.headers.contains { $0.1.contains("{{") } }, "an unknown variable")
    }
}
