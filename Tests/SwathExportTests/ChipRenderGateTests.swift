import Foundation
import Synchronization
import Testing
@testable import SwathExport
import SwathLabels

/// The gate bounds distinct renders in flight: past its limit a new chip is
/// refused as busy (503 with Retry-After over HTTP), while a request for a
/// chip already rendering still joins that render.
@Suite struct ChipRenderGateTests {
    @Test func aNewChipPastTheLimitIsBusyButTheSameChipJoins() async throws {
        let gate = ChipRenderGate(limit: 1)
        let release = DispatchSemaphore(value: 0)
        let first = Task { try await gate.run("chip-a") { release.wait() } }
        while gate.renderCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect { try await gate.run("chip-b") {} } throws: { error in
            guard case LabelingError.busy(_, let seconds) = error else { return false }
            return seconds > 0
        }
        let joined = Task { try await gate.run("chip-a") { Issue.record("a second render of the same chip ran") } }
        while gate.joinCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        release.signal()
        try await first.value
        try await joined.value
        #expect(gate.renderCount == 1)
        try await gate.run("chip-b") {}  // free again once the first is done
        #expect(gate.renderCount == 2)
    }
}
