/// One column of a table `swath admin migrate-db` copies, with how its
/// values travel between the two stores.
struct CopiedColumn: Sendable {
    enum Kind: Sendable {
        case integer, real, text, blob
        /// 0/1 in SQLite, boolean in PostgreSQL.
        case boolean
        /// WKB in SQLite, PostGIS geometry (SRID from the row's scene) in PostgreSQL.
        case geometry(sceneOf: String)
    }

    var name: String
    var kind: Kind
    /// The column's name in SQLite when it differs (pair_agreements keep their order as rowid there).
    var sqliteName: String?

    init(_ name: String, _ kind: Kind, sqliteName: String? = nil) {
        self.name = name
        self.kind = kind
        self.sqliteName = sqliteName
    }
}
