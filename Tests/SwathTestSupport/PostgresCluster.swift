import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the test cluster could not start or a command against it failed, with
/// the tools' own output so a failing test says what PostgreSQL said.
public struct PostgresClusterError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A throw-away PostgreSQL cluster for tests: initdb'd into a fresh temporary
/// folder, listening on a free 127.0.0.1 port only, with a random password for
/// the superuser `swath`. One shared per test process (`shared()`), more for
/// tests that stop their server (`dedicated()`); all are stopped and removed
/// when the process exits, even when it crashes or is killed. Under root the
/// server runs as Debian's `postgres` user, since PostgreSQL refuses root.
///
/// Folder layout: `data/` (the cluster), `socket/` (its Unix socket),
/// `postgres.log` (the server's log, `logPath`), `settings.conf` (ours).
public final class PostgresCluster: @unchecked Sendable {
    public let superuser = "swath"
    public let password: String
    public let port: Int
    public let folder: URL
    public var logPath: String { folder.appendingPathComponent("postgres.log").path }

    private let tools: PostgresTools
    private let databaseCount = Mutex(0)
    /// Serializes stop() and start(): two tests bouncing the server at once
    /// would otherwise race pg_ctl against itself.
    private let lifecycle = Mutex(())

    private static let sharedCluster = Mutex<Result<PostgresCluster, PostgresClusterError>?>(nil)
    /// Every cluster still running, for the exit handler.
    private static let running = Mutex<[PostgresCluster]>([])
    /// Registered once, on the first launch.
    private static let exitHandler: Void = { atexit { PostgresCluster.closeAllAtExit() } }()

    private init(folder: URL, password: String, port: Int, tools: PostgresTools) {
        self.folder = folder
        self.password = password
        self.port = port
        self.tools = tools
    }

    /// The process's cluster, started on first use. A failed start is kept, so
    /// every later caller gets the same error instead of another slow attempt.
    public static func shared() throws -> PostgresCluster {
        let result = sharedCluster.withLock { (state) -> Result<PostgresCluster, PostgresClusterError> in
            if let state { return state }
            let launched: Result<PostgresCluster, PostgresClusterError>
            do {
                launched = .success(try launch())
            } catch let error as PostgresClusterError {
                launched = .failure(error)
            } catch {
                launched = .failure(PostgresClusterError("PostgreSQL test cluster did not start: \(error)"))
            }
            state = launched
            return launched
        }
        return try result.get()
    }

    /// A cluster of the test's own (about a second to start), for a test that
    /// stops or restarts the server: doing that to the shared one would pull
    /// it away from every test running in parallel. Removed at exit, or by `close()`.
    public static func dedicated() throws -> PostgresCluster {
        try launch()
    }

    // MARK: Databases, roles, SQL

    /// A fresh empty database (no extensions); returns the superuser's URL to it.
    /// `owner` hands it to a role made with `createRole`: since PostgreSQL 15 only
    /// a database's owner may create tables in its `public` schema.
    public func createDatabase(_ prefix: String = "swath", owner: String? = nil) throws -> String {
        try Self.checkIdentifier(prefix)
        let number = databaseCount.withLock { count in
            count += 1
            return count
        }
        let name = "\(prefix)_\(number)_\(getpid())"
        try Self.checkIdentifier(name)
        var sql = "CREATE DATABASE \"\(name)\""
        if let owner {
            try Self.checkIdentifier(owner)
            sql += " OWNER \"\(owner)\""
        }
        _ = try psql("postgres", sql)
        return url(for: name)
    }

    /// The URL a client uses for `database`, as the superuser unless told otherwise.
    public func url(for database: String, user: String? = nil, password: String? = nil) -> String {
        let user = Self.percentEncoded(user ?? superuser)
        let password = Self.percentEncoded(password ?? self.password)
        return "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// A login role; `superuser: false` makes the user who may not create
    /// untrusted extensions such as PostGIS.
    public func createRole(name: String, password: String, superuser: Bool = false) throws {
        try Self.checkIdentifier(name)
        let quoted = password.replacingOccurrences(of: "'", with: "''")
        _ = try psql("postgres", "CREATE ROLE \"\(name)\" LOGIN PASSWORD '\(quoted)' \(superuser ? "SUPERUSER" : "NOSUPERUSER")")
    }

    /// Runs `sql` (any number of statements, stopping at the first error) and
    /// returns psql's unaligned, tuples-only output (`-At`). `database` is a
    /// name or a URL from `createDatabase`/`url(for:)`, whose user and password
    /// then apply. It always connects over TCP with a password, the way the
    /// service does, so a wrong password fails here as it would there.
    public func psql(_ database: String, _ sql: String, user: String? = nil, password: String? = nil) throws -> String {
        var target = (database: database, user: user ?? superuser, password: password ?? self.password)
        if database.contains("://") { target = try Self.parse(url: database, user: user, password: password) }
        let arguments = ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)",
                         "-U", target.user, "-d", target.database, "-f", "-"]
        let result = try tools.psql(arguments, sql: sql, password: target.password)
        guard result.status == 0 else {
            throw PostgresClusterError("psql on \(target.database) as \(target.user) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
    }

    // MARK: Stopping and starting

    /// Stops the server (`fast`: clients are disconnected, as when a database
    /// server goes down; `immediate`: as if it crashed). The data stays.
    public func stop(immediate: Bool = false) throws {
        try lifecycle.withLock { _ in
            _ = try tools.server("pg_ctl", ["stop", "-D", dataPath, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "-s"],
                                 in: folder.path, failure: "pg_ctl stop", log: logPath)
        }
    }

    /// Starts the stopped server again on the same port with the same data.
    public func start() throws {
        try lifecycle.withLock { _ in
            try Self.startServer(tools: tools, folder: folder)
        }
    }

    // MARK: Launch

    private var dataPath: String { folder.appendingPathComponent("data").path }

    private static func launch() throws -> PostgresCluster {
        let tools = try PostgresTools.locate()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swath-pg-\(UUID().uuidString)")
        do {
            try makeFolder(folder, tools: tools)
            startWatchdog(folder: folder)
            let password = randomPassword()
            try initdb(tools: tools, folder: folder, password: password)
            let port = try startOnFreePort(tools: tools, folder: folder)
            let cluster = PostgresCluster(folder: folder, password: password, port: port, tools: tools)
            running.withLock { $0.append(cluster) }
            _ = exitHandler
            return cluster
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// The folder belongs to whoever runs the server (`postgres` under root),
    /// mode 0700: the cluster's socket and password file live in it.
    private static func makeFolder(_ folder: URL, tools: PostgresTools) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("socket"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        try tools.hand(folder.path)
        try tools.hand(folder.appendingPathComponent("socket").path)
    }

    private static func randomPassword() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// `--no-sync` only skips initdb's final flush of a cluster that is thrown
    /// away anyway; the server itself keeps `fsync` on, so benchmarks stay honest.
    private static func initdb(tools: PostgresTools, folder: URL, password: String) throws {
        let passwordFile = folder.appendingPathComponent("password").path
        guard FileManager.default.createFile(atPath: passwordFile, contents: Data("\(password)\n".utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw PostgresClusterError("cannot write \(passwordFile)")
        }
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        try tools.hand(passwordFile)
        _ = try tools.server("initdb", ["-D", folder.appendingPathComponent("data").path, "-U", "swath", "--pwfile=\(passwordFile)",
                                        "-E", "UTF8", "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256",
                                        "--no-sync", "--no-instructions"],
                             in: folder.path, failure: "initdb", log: nil)
        let include = "\ninclude '\(folder.appendingPathComponent("settings.conf").path)'\n"
        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("data/postgresql.conf"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(include.utf8))
    }

    /// The port comes from binding port 0 and letting it go, so another process
    /// may take it before the server binds it: then try another, twice more.
    private static func startOnFreePort(tools: PostgresTools, folder: URL) throws -> Int {
        var lastError = PostgresClusterError("no attempt made")
        for _ in 0..<3 {
            let port = try freePort()
            try writeSettings(folder: folder, port: port)
            do {
                try startServer(tools: tools, folder: folder)
                return port
            } catch let error as PostgresClusterError {
                lastError = error
            }
        }
        throw lastError
    }

    /// Loopback only; the socket stays inside the private folder. Unix-socket
    /// connections are trusted: only the folder's owner (and root) can reach it.
    private static func writeSettings(folder: URL, port: Int) throws {
        let settings = """
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(folder.appendingPathComponent("socket").path)'
            shared_buffers = 128MB
            max_connections = 400
            # CREATE EXTENSION postgis takes hundreds of locks; tests create it in many databases at once.
            max_locks_per_transaction = 1024

            """
        try settings.write(to: folder.appendingPathComponent("settings.conf"), atomically: true, encoding: .utf8)
    }

    private static func startServer(tools: PostgresTools, folder: URL) throws {
        let log = folder.appendingPathComponent("postgres.log").path
        _ = try tools.server("pg_ctl", ["start", "-D", folder.appendingPathComponent("data").path, "-l", log, "-w", "-t", "60", "-s"],
                             in: folder.path, failure: "pg_ctl start", log: log)
    }

    private static func freePort() throws -> Int {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw PostgresClusterError("socket() failed: errno \(errno)") }
        defer { closeDescriptor(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 ? getsockname(fd, generic, &length) : -1
            }
        }
        guard status == 0 else { throw PostgresClusterError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Clean-up

    private static func closeAllAtExit() {
        for cluster in running.withLock({ $0 }) { cluster.close() }
    }

    /// Stops the server at once and removes the folder. `pg_ctl stop -m
    /// immediate` is SIGQUIT to the postmaster; sending it directly avoids
    /// spawning processes from an exit handler.
    public func close() {
        Self.running.withLock { $0.removeAll { $0 === self } }
        let pidFile = folder.appendingPathComponent("data/postmaster.pid").path
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
           let line = text.split(separator: "\n").first, let pid = pid_t(line) {
            kill(pid, SIGQUIT)
            // The postmaster removes its pid file once its children are gone.
            for _ in 0..<100 where FileManager.default.fileExists(atPath: pidFile) { usleep(100_000) }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// atexit does not run when a test traps or the process is killed, and the
    /// server (in its own session since pg_ctl) would outlive it. A detached
    /// shell waits for this process to end and then does the same clean-up;
    /// after a normal exit it finds nothing left to do. It starts before
    /// initdb, so a kill during the launch leaves nothing behind either.
    private static func startWatchdog(folder: URL) {
        let script = """
            trap '' INT TERM HUP
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
            for _ in 1 2 3 4 5 6 7 8 9 10; do [ -e "$2/postmaster.pid" ] || break; sleep 1; done
            rm -rf "$3"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "swath-pg-watchdog", "\(getpid())", folder.appendingPathComponent("data").path, folder.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // Without the watchdog the cluster is still removed on a normal exit.
        try? process.run()
    }

    // MARK: Names

    /// Lower-case letters, digits and `_`, at most 63 bytes: safe to quote into
    /// SQL and never folded or truncated by PostgreSQL.
    private static func checkIdentifier(_ name: String) throws {
        let allowed = name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
        guard allowed, !name.isEmpty, name.utf8.count <= 63 else {
            throw PostgresClusterError("'\(name)' is not a plain lower-case identifier of at most 63 bytes")
        }
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// A postgres:// URL's database, user and password; explicit arguments win.
    private static func parse(url: String, user: String?, password: String?) throws -> (database: String, user: String, password: String) {
        guard let components = URLComponents(string: url), let urlUser = components.user,
              let database = components.path.split(separator: "/").first.map(String.init) else {
            throw PostgresClusterError("not a postgres:// URL with a user and a database: \(url)")
        }
        return (database, user ?? urlUser, password ?? components.password ?? "")
    }
}

/// The C library's close(2), which `PostgresCluster.close()` hides inside the class.
private func closeDescriptor(_ fd: Int32) {
    close(fd)
}

/// Where PostgreSQL's programs are and whom the server runs as.
private struct PostgresTools: Sendable {
    /// The folder of initdb, pg_ctl and psql; nil means "look them up on PATH".
    var bin: String?
    /// `postgres` when this process is root: initdb and the server refuse root.
    var serverUser: (name: String, uid: uid_t, gid: gid_t)?

    /// $SWATH_PG_BIN, else Debian's PostgreSQL 15, else the newest Debian
    /// PostgreSQL, else PATH (Homebrew and the like).
    static func locate() throws -> PostgresTools {
        let fileManager = FileManager.default
        var bin = ProcessInfo.processInfo.environment["SWATH_PG_BIN"]
        if bin == nil {
            let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
            let ordered = versions.filter { $0 == "15" } + versions.compactMap(Int.init).sorted(by: >).map(String.init)
            bin = ordered.map { "/usr/lib/postgresql/\($0)/bin" }.first { fileManager.isExecutableFile(atPath: "\($0)/initdb") }
        }
        return PostgresTools(bin: bin, serverUser: try serverUserIfRoot())
    }

    private static func serverUserIfRoot() throws -> (name: String, uid: uid_t, gid: gid_t)? {
        guard getuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else {
            throw PostgresClusterError("running as root, but there is no `postgres` user to run PostgreSQL as (initdb refuses root)")
        }
        return ("postgres", entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    func program(_ name: String) -> String {
        bin.map { "\($0)/\(name)" } ?? name
    }

    /// Gives a file or folder to the server's user, if that is not us.
    func hand(_ path: String) throws {
        guard let serverUser else { return }
        guard chown(path, serverUser.uid, serverUser.gid) == 0 else {
            throw PostgresClusterError("cannot chown \(path) to \(serverUser.name): errno \(errno)")
        }
    }

    /// Foundation's Process on Linux learns that a child exited when a socket
    /// it passes to the child reaches end of file. The server pg_ctl leaves
    /// running would inherit that socket, and waitUntilExit() on pg_ctl would
    /// then wait for the server to stop. bash closes every descriptor above 2
    /// first (Foundation has closed all others already, so nothing else is lost).
    private static let closeInherited =
        #"for fd in $(ls /proc/$$/fd 2>/dev/null); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "$@""#

    /// Runs initdb or pg_ctl as the server's user, in `folder` (under root the
    /// caller's working directory may be closed to `postgres`); throws with
    /// the tool's output and the server log's tail when it fails.
    func server(_ name: String, _ arguments: [String], in folder: String, failure: String, log: String?) throws -> ShellResult {
        var command = [program(name)] + arguments
        if let serverUser {
            let runuser = FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser"
            command = [runuser, "-u", serverUser.name, "--"] + command
        }
        let result = try Shell.run("/bin/bash", ["-c", Self.closeInherited, "swath-pg"] + command, currentDirectory: folder)
        guard result.status == 0 else {
            let tail = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
                .map { "\n--- \(log ?? "") (last 30 lines) ---\n" + $0.split(separator: "\n").suffix(30).joined(separator: "\n") } ?? ""
            throw PostgresClusterError("PostgreSQL test cluster: \(failure) failed (\(result.status)):\n\(result.stderr)\(result.stdout)\(tail)")
        }
        return result
    }

    /// psql with the password in its environment, never on its command line
    /// (which every local user can read); Shell.run cannot set an environment.
    /// Inherited PG* variables are dropped so the caller's PGHOST, PGSERVICE
    /// or PGOPTIONS cannot redirect the connection.
    func psql(_ arguments: [String], sql: String, password: String) throws -> ShellResult {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["PGPASSWORD"] = password
        environment["PGCONNECT_TIMEOUT"] = "10"
        let process = Process()
        let name = program("psql")
        process.executableURL = URL(fileURLWithPath: name.hasPrefix("/") ? name : "/usr/bin/env")
        process.arguments = name.hasPrefix("/") ? arguments : [name] + arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ShellResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                           stderr: String(decoding: errData, as: UTF8.self))
    }
}
