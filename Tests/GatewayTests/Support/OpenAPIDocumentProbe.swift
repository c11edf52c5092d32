import Gateway

enum OpenAPIDocumentProbe {
    static var served: String { OpenAPIDocument.yaml }
    static var servedJSON: String { OpenAPIDocument.json }
}
