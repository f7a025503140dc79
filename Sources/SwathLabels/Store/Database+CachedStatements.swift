import GRDB

/// Every query goes through GRDB's statement cache: SQLite parses (and GRDB
/// authorises) each distinct statement once per connection, not per request.
extension Database {
    func run(_ sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func rows(_ sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }

    func row(_ sql: String, arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func value<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: String,
                                                                          arguments: StatementArguments = []) throws -> T? {
        try T.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func values<T: DatabaseValueConvertible & StatementColumnConvertible>(_ type: T.Type, _ sql: String,
                                                                           arguments: StatementArguments = []) throws -> [T] {
        try T.fetchAll(cachedStatement(sql: sql), arguments: arguments)
    }
}
