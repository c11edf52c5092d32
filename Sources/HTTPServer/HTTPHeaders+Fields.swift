extension HTTPHeaders {
    /// Takes the parser's fields as they are (the parser's hot path): the array is shared, not rebuilt field by field.
    init(fieldList: [(name: String, value: String)]) {
        self.init()
        fields = fieldList
    }
}
