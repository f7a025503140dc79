/// Where finished tiles are recorded as they finish, so a rerun can skip them:
/// a journal file in the output folder, or journal objects beside tiles on S3.
protocol TileRecorder: Sendable {
    /// Records one finished tile; called only once its file is in place.
    func record(_ outcome: TileOutcome) throws
    /// Makes every recorded tile durable (an S3 journal's last part).
    func finish() throws
}
