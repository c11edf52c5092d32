import Foundation
import Gateway
import GatewayConfiguration
import GatewayDemo
import TestSupport
import Testing

/// The API page at /docs: off unless the configuration turns it on, self-contained (its files from this gateway
/// only, a Content-Security-Policy that allows nothing else, no inline script or style), the very files of
/// `api-page/`, and on in the demo with its public key filled in. Its behaviour in a browser is checked by
/// scripts/api-page-check in a real headless Chromium (.ci/api-page).
@Suite struct APIPageEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func offUnlessTheConfigurationTurnsItOn() async throws {
        let h = try GatewayHarness()
        let page = try await h.send("GET", "/docs", key: nil)
        let script = try await h.send("GET", "/docs/app.js", key: nil)
        await h.stop()
        #expect(page.status == 404 && page.code == "not_found")
        #expect(script.status == 404)
    }

    @Test func servesItsOwnFilesUnderAStrictPolicy() async throws {
        var options = GatewayHarness.Options()
        options.configExtra = #", "apiPage": { "enabled": true }"#
        let h = try GatewayHarness(options)
        let page = try await h.send("GET", "/docs", key: nil)
        let script = try await h.send("GET", "/docs/app.js", key: nil)
        let style = try await h.send("GET", "/docs/app.css", key: nil)
        let icon = try await h.send("GET", "/docs/icon.svg", key: nil)
        let hints = try await h.send("GET", "/docs/hints.json", key: nil)
        let head = try await h.send("HEAD", "/docs", key: nil)
        let post = try await h.send("POST", "/docs", key: nil)
        await h.stop()

        #expect(page.status == 200 && page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(script.status == 200 && script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(style.status == 200 && style.header("Content-Type") == "text/css; charset=utf-8")
        #expect(icon.status == 200 && icon.header("Content-Type") == "image/svg+xml")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(post.status == 405)
        let policy = try #require(page.header("Content-Security-Policy"))
        let directives = Dictionary(uniqueKeysWithValues: policy.split(separator: ";").map { directive -> (String, String) in
            let words = directive.split(separator: " ").map(String.init)
            return (words.first ?? "", words.dropFirst().joined(separator: " "))
        })
        #expect(directives["default-src"] == "'none'" && directives["script-src"] == "'self'" && directives["style-src"] == "'self'"
                && directives["connect-src"] == "'self'" && directives["frame-ancestors"] == "'none'"
                && directives["form-action"] == "'none'" && directives["base-uri"] == "'none'", "\(policy)")
        #expect(!policy.contains("unsafe") && !policy.contains("http") && !policy.contains("*") && !policy.contains("data:"), "\(policy)")
        #expect(page.header("X-Content-Type-Options") == "nosniff" && page.header("Referrer-Policy") == "no-referrer")
        // A configuration file never fills in a key.
        #expect(hints.status == 200 && hints.text == "{}")

        let html = page.text
        // Everything the page loads or links to is on this gateway; nothing inline.
        let references = Self.matches(#"(?:src|href)="([^"]*)""#, in: html)
        #expect(Set(references) == ["/docs/icon.svg", "/docs/app.css", "/docs/app.js", "/openapi.yaml", "/openapi.json"], "\(references)")
        #expect(!html.contains("style=") && !html.contains("<style") && !html.contains("onclick") && Self.matches(#"<script>"#, in: html).isEmpty)
        for (name, text) in [("app.js", script.text), ("app.css", style.text)] {
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("@import") && !text.contains("url("),
                    "\(name) refers to something outside the gateway")
        }
        // The script never turns text from the document or an answer into markup.
        #expect(!script.text.contains("innerHTML") && !script.text.contains("outerHTML") && !script.text.contains("eval(")
                && !script.text.contains("document.write"))
    }

    @Test func theServedFilesAreTheFilesInTheRepository() throws {
        for (file, embedded) in [("index.html", APIPageAssets.html), ("app.js", APIPageAssets.javascript),
                                 ("app.css", APIPageAssets.css), ("icon.svg", APIPageAssets.icon)] {
            let onDisk = try String(contentsOf: Self.repository.appendingPathComponent("api-page/\(file)"), encoding: .utf8)
            #expect(onDisk.trimmingCharacters(in: .newlines) == embedded, "run scripts/embed-api-page after editing api-page/\(file)")
        }
    }

    @Test func theDemoHasItOnWithItsPublicKeyFilledIn() throws {
        let demo = try DemoEnvironment.start()
        let config = demo.config(host: "127.0.0.1", port: 0)
        #expect(config.apiPage.enabled)
        #expect(config.apiPage.hints["apiKey"] == DemoEnvironment.apiKey && config.apiPage.hints["tenant"] == DemoEnvironment.v2Tenant)
        #expect(DemoEnvironment.banner(host: "127.0.0.1", port: 8080).contains("http://127.0.0.1:8080/docs"))
    }

    @Test func aReloadTurnsItOnAndOff() throws {
        let loader = GatewayConfigLoader(environment: ["S": "x"])
        let off = try loader.parse(bytes: Array(ConfigLoaderTests.document().utf8), baseDirectory: "/").config
        let on = try loader.parse(bytes: Array(ConfigLoaderTests.document(extra: #", "apiPage": { "enabled": true }"#).utf8), baseDirectory: "/").config
        #expect(!off.apiPage.enabled && on.apiPage.enabled && on.apiPage.hints.isEmpty)
        #expect(ConfigChanges(from: off, to: on, running: off).applied == ["apiPage.enabled: false -> true"])
        do {
            _ = try loader.parse(bytes: Array(ConfigLoaderTests.document(extra: #", "apiPage": { "enabled": true, "apiKey": "k" }"#).utf8), baseDirectory: "/")
            Issue.record("apiPage.apiKey was accepted")
        } catch {
            #expect(error.issues.map(\.description).contains { $0.hasPrefix("apiPage.apiKey: unknown key") })
        }
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: match.numberOfRanges > 1 ? 1 : 0), in: text).map { String(text[$0]) }
        }
    }
}
