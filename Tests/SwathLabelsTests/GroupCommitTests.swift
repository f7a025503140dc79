import Foundation
import GRDB
import Synchronization
import Testing
@testable import SwathLabels
import SwathTestSupport

/// A stand-in for an open transaction: the writes it holds.
private final class FakeTransaction: Sendable {
    let writes = Mutex<[String]>([])
}

/// A stand-in for a database: what each batch did, in order.
private final class Ledger: Sendable {
    let batches = Mutex<[[String]]>([])
    let committed = Mutex<[String]>([])
}

@Suite struct GroupCommitTests {
    private typealias Step = @Sendable (FakeTransaction) -> Void

    /// A group whose "transaction" records the writes its steps kept and commits them unless told to fail.
    private func group(_ ledger: Ledger, maximumBatch: Int, lanes: Int = 1, failCommit: @escaping @Sendable () -> Bool = { false })
        -> GroupCommit<Step> {
        GroupCommit(maximumBatch: maximumBatch, lanes: lanes) { steps in
            let transaction = FakeTransaction()
            for step in steps { step(transaction) }
            let kept = transaction.writes.withLock { $0 }
            ledger.batches.withLock { $0.append(kept) }
            if failCommit() { throw StoreFailure("commit refused") }
            ledger.committed.withLock { $0 += kept }
        }
    }

    /// A write as a store makes it: run in a "savepoint" (its writes undone if it throws), its outcome kept.
    private func write<T: Sendable>(_ group: GroupCommit<Step>, _ body: @escaping @Sendable (FakeTransaction) throws -> T) async throws -> T {
        try await group.write { keep in
            { transaction in
                let before = transaction.writes.withLock { $0 }
                do { keep(.success(try body(transaction))) } catch {
                    transaction.writes.withLock { $0 = before }
                    keep(.failure(error))
                }
            }
        }
    }

    @Test func aRefusedWriteLeavesNoTraceAndTheOthersCommit() async throws {
        let ledger = Ledger()
        let commits = group(ledger, maximumBatch: 8, lanes: 3)
        let results = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { tasks in
            for index in 0..<50 {
                tasks.addTask {
                    (index, await Result(catching: {
                        try await write(commits) { transaction in
                            transaction.writes.withLock { $0.append("write \(index)") }
                            if index % 7 == 3 { throw LabelingError.conflict("write \(index) refused") }
                            return index * 10
                        }
                    }))
                }
            }
            return await tasks.reduce(into: [Int: Result<Int, any Error>]()) { $0[$1.0] = $1.1 }
        }
        let refused = Set((0..<50).filter { $0 % 7 == 3 })
        for index in 0..<50 {
            switch results[index] {
            case .some(.success(let value)): #expect(!refused.contains(index) && value == index * 10)
            case .some(.failure(let error)): #expect(refused.contains(index) && "\(error)".contains("write \(index) refused"))
            case .none: Issue.record("write \(index) never answered")
            }
        }
        let committed = ledger.committed.withLock { $0 }
        #expect(Set(committed) == Set((0..<50).filter { !refused.contains($0) }.map { "write \($0)" }))
        #expect(committed.count == 50 - refused.count, "each kept write committed once")
        let batches = ledger.batches.withLock { $0 }
        #expect(batches.allSatisfy { $0.count <= 8 }, "no batch is larger than its bound")
    }

    @Test func aFailedCommitFailsEveryWriteInItsBatch() async throws {
        let ledger = Ledger()
        let commits = group(ledger, maximumBatch: 64, failCommit: { true })
        let outcomes = await withTaskGroup(of: Bool.self) { tasks in
            for index in 0..<20 {
                tasks.addTask { (try? await write(commits) { transaction in transaction.writes.withLock { $0.append("\(index)") } }) == nil }
            }
            return await tasks.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 20 && outcomes.allSatisfy { $0 }, "a write was acknowledged although its commit failed")
        #expect(ledger.committed.withLock { $0 }.isEmpty)
    }

    /// On SQLite: writes that wait together share a transaction; one that breaks a constraint is rolled back alone.
    @Test func sqliteWritesShareACommitAndFailAlone() async throws {
        let directory = try TemporaryDirectory("group-commit")
        let store = try SQLiteStore(path: directory.file("group.sqlite"))
        try await store.write { db in try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)") }
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { tasks in
            for index in 0..<100 {
                tasks.addTask {
                    // Every tenth write repeats the text of the write before it: the UNIQUE constraint refuses one of the two.
                    let text = index % 10 == 9 ? "note \(index - 1)" : "note \(index)"
                    return (index, (try? await store.groupedWrite { db in try db.execute(sql: "INSERT INTO notes (text) VALUES (?)", arguments: [text]) })
                        != nil)
                }
            }
            return await tasks.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        let stored = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes") }
        #expect(stored.count == 90 && Set(stored).count == 90)
        #expect(outcomes.values.filter { $0 }.count == 90, "exactly the stored writes were acknowledged")
        for pair in stride(from: 8, to: 100, by: 10) {
            #expect(outcomes[pair] != outcomes[pair + 1], "one of writes \(pair) and \(pair + 1) is refused")
        }
    }
}
