import ArgumentParser
import Foundation
import SwathExport
import SwathGeo
import SwathLabels
import SwathSpread

struct SpreadDatasetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spread-dataset",
        abstract: "A wildfire-spread dataset: per fire and pair of dated perimeters, windows of today's inputs and tomorrow's targets.",
        discussion: "Fires are the separate polygons of the project's burn-scar labels on dated scenes (ingest --acquired-at). "
            + "Each sample is a COG (bands named: fire_mask, the weather roles, wind_speed/wind_dir_sin/wind_dir_cos, "
            + "target_fire_mask, target_burned_new) with a STAC item, under samples/<split>/; features.json documents every "
            + "variable; card.json gives per split the fires, samples, burned shares and the persistence and wind-driven "
            + "baselines' IoU and F1 on the newly burned cells."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Option(help: "Output folder (new or empty), or an S3 prefix s3://bucket/prefix/ (empty; every file uploaded whole, card.json last).") var out: String
    @Option(help: ArgumentHelp("A weather source with a time dimension and what it is: FILE=ROLE, or FORMAT:\"FILE\":VARIABLE[=ROLE] "
                               + "(NetCDF/CF, Zarr, GRIB; as the shell leaves it, FORMAT:FILE:VARIABLE, works too). Roles: wind_u, wind_v, wind_speed, wind_from_direction, temperature, humidity, "
                               + "precipitation, energy_release, fuel_moisture, or any other name. Repeat for each.", valueName: "SOURCE[=ROLE]"))
    var weather: [String] = []
    @Option(help: "before: the last weather step at or before each observation; interp: between the steps around it.") var weatherTime = "before"
    @Option(help: "Window size in cells.") var window = 64
    @Option(help: "At most one window per STRIDE × STRIDE cells along the front (default: half the window).") var stride: Int?
    @Option(help: "Cell size in the dataset CRS's units (default: the earliest dated scene's).") var resolution: Double?
    @Option(help: "fire:TRAIN,VALIDATION,TEST (shares of fires) or time:DAY[,DAY] (by first observation).") var split = "fire:0.7,0.15,0.15"
    @Option(help: "Seed of the fire split.") var seed: UInt64 = 0
    @Option(help: "Windows without newly burned cells, at most this share of a pair's windows.") var emptyShare = 0.2
    @Option(help: "Statuses of the tasks whose labels make the perimeters, comma-separated.") var status = "accepted"
    @Option(help: "A DEM (any CRS and cell size): elevation, slope and the wind's alignment with upslope.") var dem: String?
    @Option(help: "Reflectance = DN × scale + offset, for the scenes' spectral indices (Sentinel-2 L2A: 0.0001).") var scale: Double = 1
    @Option(help: "Reflectance offset; a negative one as --offset=-0.1.") var offset: Double = 0
    @Option(help: "Each fire's cube: netcdf (CF NetCDF-4, cubes/fire<N>.nc) or zarr (Zarr v2, cubes/fire<N>.zarr).") var cubeFormat = "netcdf"

    func run() async throws {
        guard let mode = WeatherTimeMode(rawValue: weatherTime) else {
            throw SpreadError("--weather-time must be before or interp, got '\(weatherTime)'")
        }
        var options = SpreadDatasetOptions()
        (options.window, options.stride, options.resolution, options.weatherTime, options.emptyShare) = (window, stride ?? max(1, window / 2), resolution, mode, emptyShare)
        options.split = try SpreadSplit(argument: split, seed: seed)
        options.dem = dem
        guard let format = CubeFormat(rawValue: cubeFormat) else { throw SpreadError("--cube-format must be netcdf or zarr, got '\(cubeFormat)'") }
        options.cubeFormat = format
        guard scale.isFinite, offset.isFinite, scale != 0 else { throw SpreadError("--scale must be a finite number other than 0 and --offset finite") }
        try options.validate()
        try ObjectStorage.configure()  // weather, DEM, scenes or the output may be s3:// objects: before any is opened
        let sources = try weather.map(WeatherSource.init(argument:))
        try WeatherSource.checkPairs(sources)
        let layers = try sources.map { try WeatherLayer($0) }
        // To S3: built in a local folder, then every file uploaded whole, the card last (its presence says the dataset is complete).
        let output = try StagedFolder(out, stagingName: "swath-spread")
        if let objects = output.objects {  // before the work, not after it
            try objects.checkReachable()
            guard try objects.list().isEmpty else { throw SpreadError("\(out) is not empty: a dataset is written under a new prefix") }
        }
        let service = try await database.service()
        let source = try await service.exportSource(projectId: project, statuses: try StatusList.parse(status), by: .commandLine)
        let gathered = try source.spreadBurns()
        if gathered.undatedLabels > 0 {
            printWarning("\(gathered.undatedLabels) burn-scar label(s) on scenes without an acquisition time left out")
        }
        let builder = gathered.builder(weather: layers, options: options, scale: scale, offset: offset)
        defer { output.removeStaging() }
        let card = try builder.build(burns: gathered.burns, into: output.folder)
        try output.deliver(last: ["card.json"], includeHidden: true)
        FileHandle.standardOutput.write(Data(card.serialized + [10]))
    }
}
