import ArgumentParser
import Foundation
import SwathGeo
import SwathTiling

@main
struct SwathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swath",
        abstract: "Satellite-imagery labeling: inspect and tile scenes.",
        subcommands: [InfoCommand.self, TileCommand.self]
    )

    /// Errors of our own are one line on stderr naming the input and the
    /// reason; argument errors keep ArgumentParser's usage help.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as GeoError {
            fail(error.description)
        } catch let error as TilingError {
            if case .interrupted = error { fail(error.description, status: 130) }
            fail(error.description)
        } catch {
            exit(withError: error)
        }
    }

    static func fail(_ message: String, status: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("swath: error: \(message)\n".utf8))
        Foundation.exit(status)
    }
}

/// `--verbose`, shared by every subcommand: show GDAL's own messages.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show GDAL's own warnings and errors on stderr.")
    var verbose = false

    func apply() {
        GDALRuntime.start()
        GDALRuntime.verbose = verbose
    }
}

func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("swath: warning: \(message)\n".utf8))
}
