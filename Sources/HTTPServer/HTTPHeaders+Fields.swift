extension HTTPHeaders {
    /// Builds headers from already-labelled fields without re-mapping (the parser's hot path).
    init(fieldList: [(name: String, value: String)]) {
        self.init()
        for field in fieldList { add(field.name, field.value) }
    }
}
