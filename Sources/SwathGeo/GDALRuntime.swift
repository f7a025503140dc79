import CGDAL
import Foundation
import Synchronization

/// Process-wide GDAL set-up: drivers registered once, and GDAL's own error
/// printing replaced so that messages become Swift errors instead of text on
/// the user's terminal. `verbose` lets the CLI's `--verbose` show them again.
public enum GDALRuntime {
    private static let verboseFlag = Atomic<Bool>(false)
    private static let started: Void = {
        GDALAllRegister()
        CPLSetErrorHandler(quietErrorHandler)
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", nil)
    }()

    /// Registers drivers and installs the error handler; cheap after the first call.
    public static func start() {
        _ = started
    }

    /// When true, GDAL's messages (warnings included) are echoed to stderr.
    public static var verbose: Bool {
        get { verboseFlag.load(ordering: .relaxed) }
        set { verboseFlag.store(newValue, ordering: .relaxed) }
    }

    /// Caps GDAL's shared block cache so memory stays bounded on large scenes.
    public static func setCacheLimit(bytes: Int) {
        start()
        GDALSetCacheMax64(GIntBig(bytes))
    }

    public static var version: String {
        String(cString: GDALVersionInfo("RELEASE_NAME"))
    }
}

/// GDAL keeps the last error per thread (CPLGetLastErrorMsg), so the handler
/// only has to decide whether to echo; the message is picked up by `GDALError.last`.
private let quietErrorHandler: CPLErrorHandler = { errorClass, _, message in
    guard GDALRuntime.verbose, let message else { return }
    let level = errorClass == CE_Warning ? "warning" : "error"
    FileHandle.standardError.write(Data("GDAL \(level): \(String(cString: message))\n".utf8))
}
