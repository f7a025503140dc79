import CXGBoost

/// XGBoost's C API calls return 0 or -1; the reason of a failure is in `XGBGetLastError`.
enum XGBoost {
    static func check(_ status: Int32, _ doing: String) throws {
        guard status == 0 else {
            let reason = XGBGetLastError().map { String(cString: $0) } ?? "unknown error"
            // XGBoost prefixes a source location ("[12:00:00] …/learner.cc:123: "); the reason follows the last ": ".
            throw ModelError("XGBoost failed \(doing): \(reason.split(separator: "\n").first.map(String.init) ?? reason)")
        }
    }
}
