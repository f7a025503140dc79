/// Why a tiling job could not run or finish. Each case names the input or
/// option and the reason, for one line on stderr.
public enum TilingError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidOption(String, String)
    case unsupported(path: String, reason: String)
    case outputFolder(path: String, reason: String)
    case resumeMismatch(path: String, reason: String)
    case interrupted(completed: Int, total: Int, outDir: String, shard: TileShard? = nil)

    public var description: String {
        switch self {
        case .invalidOption(let option, let reason): return "\(option): \(reason)"
        case .unsupported(let path, let reason): return "\(path): \(reason)"
        case .outputFolder(let path, let reason): return "\(path): cannot write tiles there: \(reason)"
        case .resumeMismatch(let path, let reason): return "\(path): cannot resume: \(reason)"
        case .interrupted(let completed, let total, let outDir, let shard?):
            return "interrupted: shard \(shard): \(completed) of its \(total) tiles complete in \(outDir); run the shard again to finish it"
        case .interrupted(let completed, let total, let outDir, nil):
            return "interrupted: \(completed) of \(total) tiles complete in \(outDir); run again with --resume to finish"
        }
    }
}
