import HTTPServer

/// A route outside `/campaigns` that the program embedding the gateway adds (the demo's reset): the gateway serves it
/// with its request id, logs and metrics (labelled by its fixed path), and answers other methods with its 405
/// problem; what it does is the embedder's. The production command adds none.
public struct AdditionalRoute: Sendable {
    public let path: String
    public let methods: [String]
    public let respond: @Sendable (HTTPRequest) async -> HTTPResponse

    public init(path: String, methods: [String], respond: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.path = path
        self.methods = methods
        self.respond = respond
    }
}
