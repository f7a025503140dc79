/// Which of a risky annotator's accepted tasks an audit reviews: the share
/// asked for (at least one), chosen by a hash of the task, so every server
/// and every reload of the queue picks the same tasks, and the annotator
/// cannot tell which of their tasks will be drawn.
public enum AuditSample {
    public static func pick(_ taskIds: [Int64], share: Double, salt: Int64) -> [Int64] {
        guard !taskIds.isEmpty, share > 0 else { return [] }
        let wanted = min(taskIds.count, max(1, Int((share * Double(taskIds.count)).rounded(.up))))
        return Array(Set(taskIds).sorted { (rank($0, salt), $0) < (rank($1, salt), $1) }.prefix(wanted)).sorted()
    }

    /// FNV-1a over the salt and the task id (stable across processes, unlike Swift's `Hasher`).
    static func rank(_ taskId: Int64, _ salt: Int64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in [salt, taskId] {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash ^= UInt64(truncatingIfNeeded: value >> Int64(shift)) & 0xFF
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        return hash
    }
}
