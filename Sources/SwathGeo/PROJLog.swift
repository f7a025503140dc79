import CPROJ
import Foundation
import Synchronization

/// Keeps what PROJ logs on one context (why a transformation cannot be made,
/// e.g. "Source and target ellipsoid do not belong to the same celestial
/// body") so errors can say it, instead of PROJ printing it to stderr.
final class PROJLog: Sendable {
    private let last = Mutex<String?>(nil)

    var lastMessage: String? { last.withLock { $0 } }

    /// Routes the context's log here; this object must outlive the context (the Reprojector owns both).
    func attach(to context: OpaquePointer) {
        proj_log_func(context, Unmanaged.passUnretained(self).toOpaque()) { userData, level, message in
            guard let userData, let message, level <= Int32(PJ_LOG_ERROR.rawValue) else { return }
            let log = Unmanaged<PROJLog>.fromOpaque(userData).takeUnretainedValue()
            let text = String(cString: message)
            // "proj_create_operations: Source and …": the function name is PROJ's, the rest is the reason.
            let reason = text.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? text
            log.last.withLock { $0 = reason }
        }
    }
}
