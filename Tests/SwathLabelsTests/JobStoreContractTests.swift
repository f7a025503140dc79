import Foundation
import Testing
import SwathLabels
import SwathTestSupport

/// What every store guarantees of the jobs table, on SQLite and on PostgreSQL:
/// one claimant per job, leases that run out, retries after a growing wait, and a
/// failed state carrying the reason.
@Suite struct JobStoreContractTests {
    private func queue(_ world: ContractWorld, maxAttempts: Int = 3) async throws -> Job {
        try await world.service.store.createJob(JobDraft(projectId: world.projectId, kind: .export, parameters: #"{"chipSize":256}"#,
                                                         maxAttempts: maxAttempts), actor: nil, at: world.clock.now)
    }

    /// Twenty workers (two servers' worth) claim at once over four jobs: each job goes to exactly one of them.
    @Test(arguments: StoreKind.allCases)
    func concurrentClaimsNeverHandAJobToTwo(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 0)
        let other = try await world.secondServer()
        var queued: [JobID] = []
        for _ in 0..<JobRules.maximumPendingPerProject { queued.append(try await queue(world).id) }
        let claims = try await withThrowingTaskGroup(of: JobID?.self) { group in
            for index in 0..<20 {
                let service = index.isMultiple(of: 2) ? world.service : other
                group.addTask { try await service.claimJob(worker: "worker-\(index)", leaseSeconds: 60)?.id }
            }
            return try await group.reduce(into: [JobID]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(claims.sorted() == queued.sorted(), "\(claims)")
        for id in queued {
            let job = try #require(try await world.service.job(id: id))
            #expect(job.status == .running && job.attempts == 1 && job.worker?.hasPrefix("worker-") == true)
        }
    }

    /// A worker that stops answering loses the job when its lease runs out: another takes it
    /// (attempt 2), and the first can neither renew nor finish it.
    @Test(arguments: StoreKind.allCases)
    func aLeaseThatRunsOutPassesTheJobOn(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 0)
        let queued = try await queue(world)
        let first = try #require(try await world.service.claimJob(worker: "a", leaseSeconds: 30))
        #expect(first.id == queued.id && first.leaseExpiresAt == world.clock.now.addingTimeInterval(30))
        #expect(try await world.service.claimJob(worker: "b", leaseSeconds: 30) == nil, "held: nothing else is due")
        world.clock.advance(20)
        #expect(try await world.service.heartbeatJob(first, worker: "a", done: 3, total: 10, leaseSeconds: 30))
        world.clock.advance(29)  // 49 s after the claim, 29 s after the heartbeat: still a's
        #expect(try await world.service.claimJob(worker: "b", leaseSeconds: 30) == nil)
        #expect(try await world.service.job(id: queued.id)?.progressDone == 3)
        world.clock.advance(2)
        let second = try #require(try await world.service.claimJob(worker: "b", leaseSeconds: 30))
        #expect(second.id == queued.id && second.attempts == 2 && second.worker == "b")
        #expect(try await !world.service.heartbeatJob(first, worker: "a", done: 4, total: 10, leaseSeconds: 30))
        #expect(try await !world.service.finishJob(first, worker: "a", result: "/elsewhere"))
        #expect(try await world.service.failJob(first, worker: "a", error: "late") == nil)
        #expect(try await world.service.finishJob(second, worker: "b", result: "s3://exports/project-1/export-1/"))
        let done = try #require(try await world.service.job(id: queued.id))
        #expect(done.status == .succeeded && done.result == "s3://exports/project-1/export-1/" && done.worker == nil)
        #expect(done.progressDone == done.progressTotal)
        #expect(try await world.service.claimJob(worker: "c", leaseSeconds: 30) == nil, "a finished job is never handed out")
    }

    /// A failure puts the job back after 10 s, then 20 s; the third is final and keeps its reason.
    @Test(arguments: StoreKind.allCases)
    func failuresAreRetriedWithBackoffThenFailed(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 0)
        let queued = try await queue(world)
        for (attempt, wait) in [(1, 10.0), (2, 20.0)] {
            let job = try #require(try await world.service.claimJob(worker: "a", leaseSeconds: 30))
            #expect(job.attempts == attempt)
            let failed = try #require(try await world.service.failJob(job, worker: "a", error: "s3://bucket/x: refused (attempt \(attempt))"))
            #expect(failed.status == .queued && failed.runAfter == world.clock.now.addingTimeInterval(wait))
            world.clock.advance(wait - 1)
            #expect(try await world.service.claimJob(worker: "a", leaseSeconds: 30) == nil, "not before its wait")
            world.clock.advance(1)
        }
        let last = try #require(try await world.service.claimJob(worker: "a", leaseSeconds: 30))
        let failed = try #require(try await world.service.failJob(last, worker: "a", error: "s3://bucket/x: refused (attempt 3)"))
        #expect(failed.status == .failed && failed.attempts == 3 && failed.error == "s3://bucket/x: refused (attempt 3)")
        world.clock.advance(3600)
        #expect(try await world.service.claimJob(worker: "a", leaseSeconds: 30) == nil)
        #expect(try await world.service.job(id: queued.id)?.status == .failed)
    }

    /// A project has at most four jobs waiting or running: the fifth is refused until one is done.
    @Test(arguments: StoreKind.allCases)
    func aProjectsQueueIsBounded(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 0)
        for _ in 0..<4 { _ = try await queue(world) }
        do {
            _ = try await queue(world)
            Issue.record("a fifth job was queued")
        } catch LabelingError.tooMany(let reason, let seconds) {
            #expect(reason.contains("already has 4 exports waiting or running") && seconds == 30)
        }
        let running = try #require(try await world.service.claimJob(worker: "a", leaseSeconds: 30))
        #expect(try await world.service.finishJob(running, worker: "a", result: "/done"))
        _ = try await queue(world)  // room again
    }

    /// A worker lost on the job's last attempt: the next look at the queue fails the job, saying so.
    @Test(arguments: StoreKind.allCases)
    func aWorkerLostOnTheLastAttemptFailsTheJob(kind: StoreKind) async throws {
        let world = try await ContractWorld(kind, annotators: 0)
        let queued = try await queue(world, maxAttempts: 1)
        _ = try #require(try await world.service.claimJob(worker: "a", leaseSeconds: 30))
        world.clock.advance(31)
        #expect(try await world.service.claimJob(worker: "b", leaseSeconds: 30) == nil)
        let failed = try #require(try await world.service.job(id: queued.id))
        #expect(failed.status == .failed && failed.worker == nil && failed.error?.contains("stopped answering") == true)
    }
}
