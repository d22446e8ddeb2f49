/// A harness's own failure, said in a sentence a test log can show as is.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
