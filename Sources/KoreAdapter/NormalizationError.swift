/// Why an upstream 2xx body could not be normalized; the gateway answers 502 `upstream_bad_response`.
/// The associated text is for logs: it describes the problem and never echoes the body.
public enum NormalizationError: Error, Sendable, Equatable {
    /// The body is not JSON at all (the text is the reader's reason and byte offset).
    case notJSON(String)
    /// The body is JSON but not a campaign envelope (not an object, `data` not an object, a failure status, ...).
    case unexpectedShape(String)
}
