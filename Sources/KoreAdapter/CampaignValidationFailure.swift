/// Every reason a normalized campaign body cannot be written, collected in one pass so the caller can fix them all
/// at once; the gateway answers 422 `validation_failed` with `errors` listing them in the normalized shape's field order.
public struct CampaignValidationFailure: Error, Sendable, Equatable {
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    /// The fields that failed, in order (convenient for assertions and log lines).
    public var fields: [String] { errors.map(\.field) }
}
