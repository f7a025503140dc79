import ArgumentParser
import Foundation
import SwathWildfire
import SwathSpread
import SwathExport
import SwathGeo
import SwathLabels
import SwathModel
import SwathTiling

@main
struct SwathCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swath",
        abstract: "Satellite-imagery labeling: inspect and tile scenes, run the labeling service.",
        subcommands: [InfoCommand.self, TileCommand.self, ServeCommand.self, AdminCommand.self, IngestCommand.self, BenchChecksCommand.self, BenchPayrollCommand.self,
                      ImportCommand.self, ExportCommand.self, ReleaseCommand.self, PrelabelCommand.self, ModelCommand.self, WildfireCommand.self, SpreadDatasetCommand.self, SimulateCommand.self, WorkerCommand.self]
    )

    /// Errors of our own are one line on stderr naming the input and the
    /// reason; argument errors keep ArgumentParser's usage help.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as LabelingError {
            fail(error.description)
        } catch let error as ExportError {
            fail(error.description)
        } catch let error as GeoError {
            fail(error.description)
        } catch let error as WildfireError {
            fail(error.description)
        } catch let error as SpreadError {
            fail(error.description)
        } catch let error as BurnScarError {
            fail(error.description)
        } catch let error as ModelError {
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

    /// GDAL's set-up, and the AWS SDK's object-storage settings mapped onto GDAL's (`ObjectStorage`).
    func apply() throws {
        GDALRuntime.start()
        GDALRuntime.verbose = verbose
        try ObjectStorage.configure()
    }
}

func printWarning(_ message: String) {
    FileHandle.standardError.write(Data("swath: warning: \(message)\n".utf8))
}
