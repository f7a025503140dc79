/// How an applicant's qualification results decide their standing: results
/// in the order handed in, `tasksPerAttempt` to an attempt; the first attempt
/// whose mean F1 reaches the threshold qualifies; failing the last removes.
enum QualificationRules {
    static func verdict(f1: [Double], settings: QualificationSettings) -> (state: StandingState, reason: String) {
        let size = settings.tasksPerAttempt
        var failed: [String] = []
        var start = 0
        while start + size <= f1.count, failed.count < settings.attempts {
            let mean = f1[start..<start + size].reduce(0, +) / Double(size)
            let attempt = failed.count + 1
            let figures = String(format: "mean F1 %.2f over %d tasks", mean, size)
            if mean >= settings.threshold {
                return (.qualified, "passed attempt \(attempt) of \(settings.attempts): \(figures), threshold "
                        + String(format: "%.2f", settings.threshold))
            }
            failed.append("attempt \(attempt) failed: \(figures), under " + String(format: "%.2f", settings.threshold))
            start += size
        }
        if failed.count >= settings.attempts {
            return (.removed, failed.joined(separator: "; ") + "; no attempts left")
        }
        let done = f1.count - start
        let now = "attempt \(failed.count + 1) of \(settings.attempts): \(done) of \(size) qualification tasks done"
        return (.applicant, (failed + [now]).joined(separator: "; "))
    }
}
