import JSONCore

/// What the write checks read of a caller's body: a value's kind and contents, an object's members by name. Two
/// forms: the `JSONValue` tree (schedules, write-back checks of a read, the fallback), and `ScannedWriteValue`, the
/// body read in place (a campaign PUT or POST), so the checks are one code for both.
protocol WriteBodyValue {
    associatedtype Object: WriteBodyObject where Object.Value == Self
    var isNull: Bool { get }
    /// "string", "number", ... for messages.
    var kindName: String { get }
    var stringValue: String? { get }
    /// A number literal without fraction or exponent that fits `Int`, as `Int(literal)` reads it.
    var intValue: Int? { get }
    var boolValue: Bool? { get }
    var objectValue: Object? { get }
    var arrayValue: [Self]? { get }
}

protocol WriteBodyObject {
    associatedtype Value: WriteBodyValue
    /// The member `key` (the last value of a key given twice), or nil.
    subscript(key: String) -> Value? { get }
    /// Each key in neither `writable` nor `readOnly`, once, in the order of its first position.
    func forEachUnknownKey(writable: MemberNames, readOnly: MemberNames, _ body: (String) -> Void)
}

extension JSONValue: WriteBodyValue {
    typealias Object = JSONObject
}

extension JSONObject: WriteBodyObject {
    typealias Value = JSONValue

    func forEachUnknownKey(writable: MemberNames, readOnly: MemberNames, _ body: (String) -> Void) {
        // By index, reading each key alone: a `for (key, _) in` copied every member, its value retained and released.
        let members = entries
        for i in members.indices {
            let key = members[i].key
            if !writable.contains(key) && !readOnly.contains(key) { body(key) }
        }
    }
}
