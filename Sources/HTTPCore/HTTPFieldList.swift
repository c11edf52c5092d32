/// The elements of a comma-separated field value (RFC 9110 5.6.1), each without the optional whitespace around it,
/// read as bytes: no `String`, `Substring` or array per element, and header tokens compared with
/// `HTTPByteClass.equalsLowercase` rather than lowercased copies.
public enum HTTPFieldList {
    /// Calls `body` with every element in order, empty ones included (`a, ,b` has three); stops as soon as `body`
    /// returns false. Returns whether it went through every element.
    @inlinable
    @discardableResult
    public static func forEachElement(_ value: String, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        var value = value
        return value.withUTF8 { forEachElement(UnsafeRawBufferPointer($0), body) }
    }

    /// `forEachElement` on a value's bytes as received.
    @inlinable
    @discardableResult
    public static func forEachElement(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        var start = 0
        while true {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var first = start, last = end
            while first < last && (bytes[first] == HTTPByteClass.space || bytes[first] == HTTPByteClass.tab) { first += 1 }
            while last > first && (bytes[last - 1] == HTTPByteClass.space || bytes[last - 1] == HTTPByteClass.tab) { last -= 1 }
            if !body(UnsafeRawBufferPointer(rebasing: bytes[first..<last])) { return false }
            if end == bytes.count { return true }
            start = end + 1
        }
    }
}
