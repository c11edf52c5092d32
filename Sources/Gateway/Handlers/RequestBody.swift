import HTTPServer
import JSONCore
import KoreAdapter
import TextCoding

/// A caller's JSON request body: content type, parse, object, and the 422 shape for translator failures.
enum RequestBody {
    static func json(_ request: HTTPRequest) -> Result<JSONValue, Problem> {
        // Said first and plainly: `curl --data @missing-file.json` sends no body at all (and no JSON content type).
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return .failure(Problem(.invalidJSON, "the request body is empty; send the campaign as a JSON object (with curl, check that the file named by --data @FILE exists)"))
        }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        let mediaType = contentType.split(separator: ";").first.map { String($0).trimmingOWS() } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            return .failure(Problem(.unsupportedMediaType, "send the body as Content-Type: application/json"))
        }
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

    static func validationProblem(_ failure: CampaignValidationFailure) -> Problem {
        let count = failure.errors.count
        var problem = Problem(.validationFailed, count == 1 ? "1 field is invalid" : "\(count) fields are invalid")
        problem.fieldErrors = failure.errors.map { (field: $0.field, message: $0.message) }
        return problem
    }
}
