import HTTPServer
import JSONCore
import KoreAdapter
import TextCoding

/// A caller's JSON request body: content type, parse, object, and the 422 shape for translator failures.
enum RequestBody {
    static func json(_ request: HTTPRequest) -> Result<JSONValue, Problem> {
        if let problem = unreadable(request) { return .failure(problem) }
        let document: JSONValue
        do {
            document = try JSONReader.parse(request.body)
        } catch {
            return .failure(Problem(.invalidJSON, "the body is not valid JSON: \(error)"))
        }
        guard case .object = document else {
            var problem = Problem(.validationFailed, "the body must be a JSON object")
            problem.fieldErrors = [(field: "", message: "must be an object, found \(document.kindName)")]
            return .failure(problem)
        }
        return .success(document)
    }

    /// What is wrong with the body before it is read, if anything: none at all, or not JSON by its content type.
    static func unreadable(_ request: HTTPRequest) -> Problem? {
        // Said first and plainly: `curl --data @missing-file.json` sends no body at all (and no JSON content type).
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return Problem(.invalidJSON, "the request body is empty; send the campaign as a JSON object (with curl, check that the file named by --data @FILE exists)")
        }
        guard isJSON(contentType: request.headers["Content-Type"] ?? "") else {
            return Problem(.unsupportedMediaType, "send the body as Content-Type: application/json")
        }
        return nil
    }

    /// Whether the media type (the first non-empty `;`-separated part, lowercased, without optional whitespace) is
    /// `application/json` or `application/*+json`.
    static func isJSON(contentType: String) -> Bool {
        var value = contentType
        let onBytes = value.withUTF8 { bytes -> Bool? in
            // Tab and printable ASCII, where every character is one byte: the rule on the bytes, without a lowercased
            // copy, a split into strings and a trimmed copy (about 10,000 instructions a request). Anything else (a
            // combining mark can join a `;` or `/` into another character) keeps the rule on characters.
            guard bytes.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) }) else { return nil }
            return isJSON(asciiContentType: bytes)
        }
        return onBytes ?? isJSON(characters: contentType)
    }

    /// The rule on characters: the reference for `isJSON(asciiContentType:)` in the tests.
    static func isJSON(characters contentType: String) -> Bool {
        let mediaType = contentType.lowercased().split(separator: ";").first.map { String($0).trimmingOWS() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    private static func isJSON(asciiContentType bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The first non-empty part between semicolons (`split` omits empty ones).
        var start = 0
        var end = 0
        while start < bytes.count {
            end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
            if end > start { break }
            start = end + 1
        }
        guard start < bytes.count else { return false }
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let type = UnsafeBufferPointer(rebasing: bytes[start..<end])
        func matches(_ expected: StaticString, at offset: Int) -> Bool {
            let count = expected.utf8CodeUnitCount
            guard offset >= 0, count <= type.count - offset else { return false }
            let text = expected.utf8Start
            for i in 0..<count where type[offset + i] | (type[offset + i] &- 0x41 < 26 ? 0x20 : 0) != text[i] {
                return false
            }
            return true
        }
        if type.count == 16 { return matches("application/json", at: 0) }
        return type.count >= 17 && matches("application/", at: 0) && matches("+json", at: type.count - 5)
    }

    static func validationProblem(_ failure: CampaignValidationFailure) -> Problem {
        let count = failure.errors.count
        var problem = Problem(.validationFailed, count == 1 ? "1 field is invalid" : "\(count) fields are invalid")
        problem.fieldErrors = failure.errors.map { (field: $0.field, message: $0.message) }
        return problem
    }
}
