import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The server store: PostgreSQL with PostGIS, through postgres-nio's
/// connection pool, for many API servers on one database.
///
/// Concurrency is the database's: every mutation runs in one READ COMMITTED
/// transaction with its audit event; claims take open tasks with
/// `FOR UPDATE SKIP LOCKED`, so concurrent claimers never wait for each other
/// nor get the same task; the rows a decision depends on are locked before it
/// is made. Deadlocks and serialization failures are retried; a database that
/// cannot be reached is `LabelingError.busy` (503), never a 500.
public final class PostgresStore: Store {
    let client: PostgresClient
    let location: PostgresLocation
    let random: ClaimRandom
    let logger: Logger
    /// Saves share transactions (group commit) when the store is opened with `groupCommitLanes`.
    let saveGroup: GroupCommit<GroupedStep>?
    private let runner: Task<Void, Never>
    /// Time spent waiting for a pooled connection, for /metrics.
    public let poolWaits = PoolWaitRecorder()

    /// Connects, makes sure PostGIS is there, and applies pending migrations.
    /// `groupCommitLanes`: label saves share transactions (group commit), committing on up to that many connections at once.
    public static func open(_ location: PostgresLocation, maximumConnections: Int = 20, seed: UInt64? = nil,
                            groupCommitLanes: Int? = nil) async throws -> PostgresStore {
        let store = PostgresStore(location, maximumConnections: maximumConnections, seed: seed, groupCommitLanes: groupCommitLanes)
        do {
            try await store.probe()
            try await store.migrate()
        } catch {
            throw store.describe(error, doing: "cannot open")
        }
        return store
    }

    private init(_ location: PostgresLocation, maximumConnections: Int, seed: UInt64?, groupCommitLanes: Int?) {
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: location.password, database: location.database,
                                                         tls: Self.tls(location.sslMode).client)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        var logger = Logger(label: "swath.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.location = location
        self.logger = logger
        random = ClaimRandom(seed: seed)
        runner = Task { await client.run() }
        let weakSelf = WeakPostgresStore()
        saveGroup = groupCommitLanes.map { Self.groupCommit(lanes: $0, maximumBatch: 16, store: weakSelf) }
        weakSelf.set(self)
    }

    deinit { runner.cancel() }

    /// libpq's sslmode on NIOSSL: `prefer`/`allow` and `require` encrypt without
    /// checking the certificate (as libpq does without a root certificate);
    /// `verify-ca` checks the chain, `verify-full` the chain and the host name.
    static func tls(_ mode: PostgresLocation.SSLMode) -> (mode: TLSChoice, client: PostgresClient.Configuration.TLS) {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        let choice: TLSChoice
        switch mode {
        case .disable: choice = .disable
        case .allow, .prefer: choice = .prefer(unverified)
        case .require: choice = .require(unverified)
        case .verifyCA:
            var chainOnly = TLSConfiguration.makeClientConfiguration()
            chainOnly.certificateVerification = .noHostnameVerification
            choice = .require(chainOnly)
        case .verifyFull: choice = .require(.makeClientConfiguration())
        }
        switch choice {
        case .disable: return (choice, .disable)
        case .prefer(let configuration): return (choice, .prefer(configuration))
        case .require(let configuration): return (choice, .require(configuration))
        }
    }

    enum TLSChoice {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    /// One direct connection first: the pool retries quietly behind a circuit
    /// breaker, while this says at once what is wrong (refused, no such host,
    /// bad password, no such database) for the one-line error `open` gives.
    private func probe() async throws {
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database,
                                                             tls: try Self.connectionTLS(location.sslMode))
        configuration.options.connectTimeout = .seconds(5)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await connection.close()
    }

    static func connectionTLS(_ mode: PostgresLocation.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch tls(mode).mode {
        case .disable: return .disable
        case .prefer(let configuration): return .prefer(try NIOSSLContext(configuration: configuration))
        case .require(let configuration): return .require(try NIOSSLContext(configuration: configuration))
        }
    }

    public var kind: String { "postgresql" }

    static func time(_ date: Date) -> Double { date.timeIntervalSince1970 }
    static func date(_ value: Double) -> Date { Date(timeIntervalSince1970: value) }
    static func date(_ value: Double?) -> Date? { value.map(date) }
}
