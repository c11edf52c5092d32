/// One failing field of a write, as it appears in the 422 problem's `errors` array.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The normalized path: `name`, `voice.maxRingTimeSeconds`, `callingHours.days[2].start`; empty for the body.
    public var field: String
    /// What is wrong, phrased to follow the field name: "must be an integer from 1 to 5".
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.isEmpty ? message : "\(field) \(message)" }
}
