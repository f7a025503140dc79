/// Which pools a claim draws from, in order, decided once per claim from the
/// project's policy and one random draw: a gold task (at `goldRate`), then a
/// consensus turn (k > 1), then a k = 1 task.
struct ClaimPlan: Equatable {
    var tryGold: Bool
    var tryConsensus: Bool
    var trySingle: Bool

    init(policy: ClaimPolicy, draw: Double) {
        tryGold = draw < policy.goldRate
        tryConsensus = policy.labelsPerTask > 1
        // With k > 1 every non-gold task is a consensus task: nothing is handed out alone.
        trySingle = policy.labelsPerTask <= 1
    }
}
