import Gateway

enum OpenAPIDocumentProbe {
    static var served: String { OpenAPIDocument.yaml }
}
