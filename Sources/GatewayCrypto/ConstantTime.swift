/// Comparisons whose running time does not depend on where secret inputs differ.
public enum ConstantTime {
    /// Returns whether `a` and `b` are equal, examining every byte even after a difference is found so the time
    /// taken leaks nothing about the position of the first mismatch (signature checks must not be a timing oracle).
    /// Lengths are compared up front: for MACs the length is public (it is fixed by the algorithm).
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                for i in 0..<left.count {
                    difference |= left[i] ^ right[i]
                }
            }
        }
        return difference == 0
    }
}
