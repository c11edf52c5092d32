import HTTPServer
import JSONCore

/// `/docs`: the API page (`APIPageAssets`), when `apiPage.enabled`. Self-contained: its script and style sheet come
/// from this gateway, and its Content-Security-Policy lets it load and call nothing else (no inline script or style,
/// no other origin, no frames, no form posts).
enum APIPageRoutes {
    static let paths: Set<String> = ["/docs", "/docs/app.js", "/docs/app.css", "/docs/icon.svg", "/docs/hints.json"]

    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The answer for `path`, or nil when it is not one of the page's.
    static func route(_ path: String, hints: [String: String]) -> (() -> HTTPResponse)? {
        switch path {
        case "/docs": return { asset(APIPageAssets.html, type: "text/html; charset=utf-8") }
        case "/docs/app.js": return { asset(APIPageAssets.javascript, type: "text/javascript; charset=utf-8") }
        case "/docs/app.css": return { asset(APIPageAssets.css, type: "text/css; charset=utf-8") }
        case "/docs/icon.svg": return { asset(APIPageAssets.icon, type: "image/svg+xml") }
        case "/docs/hints.json":
            return {
                var object = JSONObject()
                for (key, value) in hints.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
                return asset(String(decoding: JSONWriter.write(.object(object)), as: UTF8.self), type: "application/json")
            }
        default: return nil
        }
    }

    static func asset(_ text: String, type: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [
            "Content-Type": type,
            "Content-Security-Policy": contentSecurityPolicy,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cache-Control": "no-cache",
        ], body: Array(text.utf8))
    }
}
