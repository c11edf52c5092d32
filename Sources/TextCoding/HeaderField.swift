/// A header field's name and value as text: what an upstream request carries and the HTTP client writes.
///
/// A struct rather than a `(name: String, value: String)` tuple: an array of tuples is destroyed through the
/// runtime's generic tuple path (about 130 instructions a field, every request), an array of structs through code
/// the compiler specializes.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    @inlinable
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
