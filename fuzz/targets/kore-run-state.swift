import Foundation
import JSONCore
import KoreAdapter

// Target `kore-run-state`: `RunStateNormalizer.normalize(upstreamBody:operation:type:id:knownName:)`, Kore.ai's start,
// stop and status answers. The first byte picks the operation, the type and whether a name is known from a read
// before; the rest is the upstream 2xx body.
//
// Oracles: no crash; deterministic; on success the envelope is exactly `{"run": {...}, "message": "..."}` with a
// non-empty message, `run` has exactly `id, type, name, status, instanceId, updatedAt, totalCallsCompleted` (the
// route's type, a non-empty string id, the known name when the answer has none, `totalCallsCompleted` an integer that
// fits Int or null), equals the returned `run`, and Foundation reads the envelope alike; on failure the error text
// stays short.

let fuzzPrefixBytes = 1
let operations: [CampaignOperation] = [.start, .stop, .status]
let runKeys = ["id", "type", "name", "status", "instanceId", "updatedAt", "totalCallsCompleted"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= fuzzPrefixBytes else { return 0 }
    let selector = Int(data[0])
    let operation = operations[selector % 3]
    let type = CampaignType.allCases[(selector / 3) % 2]
    let knownName: String? = (selector / 6) % 2 == 0 ? nil : "Known Name"
    let body = Array(UnsafeBufferPointer(start: data + fuzzPrefixBytes, count: size - fuzzPrefixBytes))

    func run() -> Result<RunStateNormalizer.Output, NormalizationError> {
        do {
            return .success(try RunStateNormalizer.normalize(upstreamBody: body, operation: operation, type: type, id: "cd-route-id", knownName: knownName))
        } catch {
            return .failure(error)
        }
    }
    let result = run()
    Fuzz.check(result == run(), "normalize is not deterministic")
    switch result {
    case .failure(.notJSON(let text)), .failure(.unexpectedShape(let text)):
        Fuzz.check(text.utf8.count <= 160, "error text of \(text.utf8.count) bytes: \(text)")
    case .success(let output):
        guard let envelope = try? JSONReader.parse(output.body), let object = envelope.objectValue else {
            Fuzz.fail("envelope is not a JSON object: \(String(decoding: output.body, as: UTF8.self))")
        }
        Fuzz.check(object.keys == ["run", "message"], "envelope keys \(object.keys)")
        Fuzz.check(object["message"]?.stringValue?.isEmpty == false, "message is not a non-empty string")
        guard let run = object["run"], let fields = run.objectValue else { Fuzz.fail("run is not an object") }
        Fuzz.check(fields.keys == runKeys, "run keys \(fields.keys)")
        Fuzz.check(run == output.run, "the returned run differs from the envelope's")
        Fuzz.check(run["type"] == .string(type.rawValue), "type \(String(describing: run["type"]))")
        Fuzz.check(run["id"]?.stringValue?.isEmpty == false, "id \(String(describing: run["id"]))")
        if let knownName, run["name"]?.stringValue == nil { Fuzz.fail("the known name \(knownName) was lost") }
        let calls = run["totalCallsCompleted"]
        Fuzz.check(calls == .null || calls?.intValue != nil, "totalCallsCompleted \(String(describing: calls))")
        if foundationComparable(envelope) {
            let foundation = try? JSONSerialization.jsonObject(with: Data(output.body))
            Fuzz.check(foundation.map { matches(envelope, $0) } ?? false,
                       "Foundation reads the envelope differently: \(String(decoding: output.body, as: UTF8.self))")
        }
    }
    return 0
}
