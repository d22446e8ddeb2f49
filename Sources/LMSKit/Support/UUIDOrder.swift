import Foundation

extension UUID {
    /// The order of `uuidString`s, from the bytes: every tie-break between records uses it, and
    /// making the strings (`sprintf` on Linux) cost more than the rest of applying a sync page.
    public func precedes(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { left in
            withUnsafeBytes(of: other.uuid) { right in
                memcmp(left.baseAddress!, right.baseAddress!, 16) < 0
            }
        }
    }
}
