import Foundation
import HTTPServer

/// How the test servers render rejections: the server has no error shape of its own, so the tests give it a small
/// problem+json one and check the status, the code and the closing behaviour through it.
enum TestErrorResponder {
    @Sendable static func render(_ rejection: HTTPRejection) -> HTTPResponse {
        let object: [String: Any] = ["status": rejection.status, "code": rejection.code, "detail": rejection.detail]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        return HTTPResponse(status: rejection.status, headers: headers, body: [UInt8](body))
    }
}
