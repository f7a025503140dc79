import Foundation

/// A PostgreSQL server and database, parsed from
/// `postgres://user:password@host:port/database?sslmode=…`. Its description
/// names the host and database only: the password is never printed.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values this client honours (`prefer` is libpq's default).
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require, verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    public init(url: String) throws {
        // URLComponents percent-decodes the user and password, so '@' or ':' in a password survive.
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw LabelingError.invalid("--db: not a postgres URL (postgres://user:password@host:port/database)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw LabelingError.invalid("--db: port \(port) is out of range") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw LabelingError.invalid("--db: the URL names no database (postgres://user:password@\(host):\(port)/database)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw LabelingError.invalid("--db: the URL names no user (postgres://user:password@\(host):\(port)/\(database))")
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw LabelingError.invalid("--db: sslmode '\(item.value ?? "")' is not one of "
                                                + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            default:
                throw LabelingError.invalid("--db: the URL parameter '\(item.name)' is not supported (only sslmode)")
            }
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = components.password
        self.database = database
        self.sslMode = sslMode
    }

    public var description: String { "database '\(database)' on \(host):\(port)" }
}
