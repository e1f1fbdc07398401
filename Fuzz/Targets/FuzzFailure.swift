// What the harnesses count as a bug besides a crash: an error that is not a BlankettError (the
// project's one error type, which is how a failure reaches robots and logs with a code), or a broken
// promise such as a round trip. Thrown rather than trapped, so the corpus tests name the file.
import BlankettSupport

public struct FuzzFailure: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// `body`'s value, or nil when it refuses the input with a BlankettError, the expected outcome
/// of hostile input.
func unlessRefused<T>(_ what: String, _ body: () throws -> T) throws -> T? {
    do { return try body() } catch is BlankettError { return nil } catch {
        throw FuzzFailure("\(what) threw \(type(of: error)), not a BlankettError: \(error)")
    }
}

/// The reader turns every error into a rejection; one that was not a BlankettError arrives as
/// internal_error.
func checkTyped(_ code: String?, _ what: String) throws {
    guard code != "internal_error" else { throw FuzzFailure("\(what) failed with an untyped error") }
}
