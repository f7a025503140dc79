/// The database failed in a way no request caused: a 500 whose message names
/// the database and the failure, never a password or a query's values.
public struct StoreFailure: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
