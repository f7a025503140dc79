import Foundation
import SwathGeo

/// Builds a wildfire-spread dataset from a project's dated burns: per fire, every
/// input plane at each observation on the fire's whole grid (`SpreadSampleBands`),
/// written as one slab of the fire's cube (`FireCube`, NetCDF or Zarr) and cut into
/// windows along the front, each a COG holding today's inputs and tomorrow's
/// targets with a STAC item, in its fire's split; then `features.json` and the
/// dataset card (`card.json`) with each split's fires, samples, burned shares and
/// the baselines' skill. Only one observation's planes are in memory at a time.
/// Everything is written into a staging folder renamed to `out` at the end: an
/// interrupted run leaves no dataset under the final name.
public struct SpreadDatasetBuilder {
    public let crsWKT: String
    public let resolution: Double
    public let weather: [WeatherLayer]
    public let options: SpreadDatasetOptions
    /// Land-cover labels (the fuel class) in the dataset's CRS, with their scenes' dates; none: no fuel_class band.
    public var landCover: [LandCoverLabel] = []
    /// The scenes' own cell size (the land cover's finest detail); nil: the grid's.
    public var sceneCell: Double?
    /// The smallest dated scene's width and height in CRS units: a window must fit in it.
    public var sceneExtent: (width: Double, height: Double)?
    /// The dated scenes by id (what each observation was labeled on), for spectral inputs.
    public var scenes: [Int64: SpreadScene] = [:]
    /// Spectral indices of the scenes at each observation; nil: none.
    public var spectra: FireSpectra?
    /// Told (fires written, fires with a pair) after each fire.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(crsWKT: String, resolution: Double, weather: [WeatherLayer], options: SpreadDatasetOptions) {
        (self.crsWKT, self.resolution, self.weather, self.options) = (crsWKT, resolution, weather, options)
    }

    public func build(burns: [DatedBurn], into out: URL) throws -> JSONValue {
        try options.validate()
        try checkWindowFits()
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: out.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw SpreadError("\(out.path) is a file: a dataset is written into a new folder") }
            if !(try manager.contentsOfDirectory(atPath: out.path)).isEmpty {
                throw SpreadError("\(out.path) exists and is not empty: a dataset is written into a new folder")
            }
        }
        let tracks = try FireTrack.tracks(from: burns)
        let splits = options.split.assign(tracks.map { (id: $0.id, firstObserved: $0.observations.first?.time ?? .distantPast) })
        // From training fires only: a validation or test fire's spread must not set the bar it is measured by.
        let rate = Self.meanRadialRate(tracks.filter { splits[$0.id] == "train" })
        let staging = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).part-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            var summaries = Dictionary(uniqueKeysWithValues: SpreadSplit.names.map { ($0, SplitSummary()) })
            let toWGS84 = try Reprojector.toWGS84(from: CRS(name: "", wkt: crsWKT, epsg: nil, projJSON: nil, isGeographic: false))
            let cubes = staging.appendingPathComponent("cubes")
            try manager.createDirectory(at: cubes, withIntermediateDirectories: true)
            var inputNames: [String] = []
            let spreading = tracks.filter { !$0.pairs.isEmpty }
            for (done, track) in spreading.enumerated() {
                progress?(done, spreading.count)
                let split = splits[track.id] ?? "train"
                let folder = staging.appendingPathComponent("samples/\(split)")
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
                inputNames = try writeFire(track, folder: folder, cubes: cubes, rate: rate, toWGS84: toWGS84, summary: &summaries[split, default: SplitSummary()])
            }
            progress?(spreading.count, spreading.count)
            try Data(featuresDocument(inputs: inputNames).serialized).write(to: staging.appendingPathComponent("features.json"))
            let card = cardDocument(summaries, fires: tracks.count, rate: rate)
            try Data(card.serialized).write(to: staging.appendingPathComponent("card.json"))
            try? manager.removeItem(at: out)
            try manager.moveItem(at: staging, to: out)
            return card
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    /// "Windows larger than the scene": a window no scene could hold is refused before any work.
    private func checkWindowFits() throws {
        guard let sceneExtent else { return }
        let span = Double(options.window) * resolution
        if span > sceneExtent.width + 1e-6 || span > sceneExtent.height + 1e-6 {
            throw SpreadError("--window \(options.window) cells of \(resolution) m (\(span) m) is larger than the scenes (\(sceneExtent.width) × \(sceneExtent.height) m): use a smaller --window or --resolution")
        }
    }

    /// One fire: its grid, terrain and fuel once; at each observation its inputs, written to the cube and
    /// kept until the next observation gives the pair's targets.
    /// Returns the names of its inputs.
    private func writeFire(_ track: FireTrack, folder: URL, cubes: URL, rate: Double?, toWGS84: Reprojector, summary: inout SplitSummary) throws -> [String] {
        let grid: FireGrid
        do {
            grid = try FireGrid(footprint: track.footprint, crsWKT: crsWKT, resolution: resolution, marginCells: options.window / 2 + 1,
                                maximumCells: maximumCells)
        } catch let error as SpreadError {
            throw SpreadError("fire \(track.id): \(error.description)")
        }
        for layer in weather { try layer.checkCovers(crsWKT: crsWKT, transform: grid.transform, size: grid.size) }
        let terrain = try options.dem.map { try FireTerrain(dem: $0, grid: grid, drivers: options.demDrivers) }
        var fuels = FuelByDate(labels: landCover, grid: grid, sourceCell: sceneCell ?? resolution)
        let cube = FireCube(folder: cubes, fire: track.id, format: options.cubeFormat, grid: grid, times: track.observations.map(\.time))
        let maker = SpreadSampleBands(weather: weather, mode: options.weatherTime)
        var previous: (observation: FireTrack.Observation, burned: [Bool], inputs: [SpreadBand])?
        for (index, observation) in track.observations.enumerated() {
            let burned = try grid.mask(observation.perimeter)
            if let previous {
                try writePair(today: previous, tomorrow: (observation, burned), index: index - 1, track: track, grid: grid, terrain: terrain,
                              folder: folder, rate: rate, toWGS84: toWGS84, summary: &summary)
            }
            previous = nil  // one observation's planes in memory at a time
            let spectral = try spectra?.planes(scenes: observation.sceneIds.compactMap { scenes[$0] }, grid: grid) ?? []
            let inputs = try maker.inputs(grid: grid, today: burned, at: observation.time, terrain: terrain,
                                          fuel: try fuels.fuel(at: observation.time), spectral: spectral)
            try cube.append(inputs, at: index)
            previous = (observation, burned, inputs)
        }
        try cube.finish()
        summary.fires.insert(track.id)
        return previous?.inputs.map(\.name) ?? []
    }

    /// Cells a fire's grid may have: the memory budget over what a cell costs (every input plane in Float32,
    /// the masks and the front's distance fields).
    private var maximumCells: Int {
        let planes = 5 + weather.count + 3 + (spectra?.indices.count ?? 0) + (landCover.isEmpty ? 0 : 1) + (options.dem == nil ? 0 : 5)
        return max(1, min(100_000_000, options.memoryBudget / (planes * 4 + 48)))
    }

    private func writePair(today: (observation: FireTrack.Observation, burned: [Bool], inputs: [SpreadBand]),
                           tomorrow: (observation: FireTrack.Observation, burned: [Bool]), index: Int, track: FireTrack,
                           grid: FireGrid, terrain: FireTerrain?, folder: URL, rate: Double?, toWGS84: Reprojector, summary: inout SplitSummary) throws {
        let gapDays = tomorrow.observation.time.timeIntervalSince(today.observation.time) / 86_400
        let windows = balanced(grid.frontWindows(today.burned, window: options.window, stride: options.stride), grid: grid,
                               today: today.burned, tomorrow: tomorrow.burned, seed: UInt64(track.id) &* 1_000_003 &+ UInt64(index))
        for (number, window) in windows.enumerated() {
            let bands = SpreadSampleBands.sample(today.inputs, grid: grid, window: window, today: today.burned, tomorrow: tomorrow.burned)
            let name = "fire\(track.id)-pair\(index + 1)-w\(number + 1)"
            let metadata = ["fire": "\(track.id)", "time": Self.iso(today.observation.time), "target_time": Self.iso(tomorrow.observation.time),
                            "gap_days": String(format: "%.4f", gapDays)]
            try SpreadSampleWriter.write(bands, grid: grid, window: window, metadata: metadata, to: folder.appendingPathComponent("\(name).tif"))
            try writeItem(name: name, window: window, grid: grid, metadata: metadata, toWGS84: toWGS84, folder: folder)
            let upslope = terrain.map { (sin: SpreadSampleBands.cut($0.upslopeSin, width: grid.size.width, window: window),
                                         cos: SpreadSampleBands.cut($0.upslopeCos, width: grid.size.width, window: window)) }
            score(bands, upslope: upslope, window: window, gapDays: gapDays, rate: rate, summary: &summary)
        }
    }

    /// Every window with newly burned ground, and windows without any up to `emptyShare` of those kept, drawn
    /// by a seeded shuffle (the same dataset every run) rather than in row order, which would favour the fire's north.
    private func balanced(_ windows: [Window], grid: FireGrid, today: [Bool], tomorrow: [Bool], seed: UInt64) -> [Window] {
        let hasNew = { (w: Window) in
            (w.row..<w.row + w.height).contains { row in (w.col..<w.col + w.width).contains { col in
                let index = row * grid.size.width + col
                return tomorrow[index] && !today[index]
            } }
        }
        let kinds = windows.map(hasNew)
        let burning = zip(windows, kinds).filter(\.1).map(\.0), quiet = zip(windows, kinds).filter { !$0.1 }.map(\.0)
        let share = options.emptyShare
        let allowed = share >= 1 ? Double(quiet.count) : min(Double(quiet.count), (Double(burning.count) * share / (1 - share)).rounded(.down))
        let drawn = quiet.indices.sorted { SpreadSplit.mix(UInt64($0) ^ seed) < SpreadSplit.mix(UInt64($1) ^ seed) }.prefix(Int(allowed))
        return burning + drawn.sorted().map { quiet[$0] }
    }

    private func score(_ bands: [SpreadBand], upslope: (sin: [Float], cos: [Float])?, window: Window, gapDays: Double, rate: Double?,
                       summary: inout SplitSummary) {
        let named = Dictionary(bands.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        guard let todayValues = named[SpreadBand.fireMask], let tomorrowValues = named[SpreadBand.targetFireMask] else { return }
        let today = todayValues.map { $0 == 1 }, tomorrow = tomorrowValues.map { $0 == 1 }
        summary.samples += 1
        summary.cells += today.count
        summary.burnedCells += tomorrow.filter { $0 }.count
        summary.newBurnedCells += zip(today, tomorrow).filter { !$0 && $1 }.count
        summary.persistence.add(today: today, tomorrow: tomorrow, predicted: today)
        // No training fire with a pair: no rate, so no wind-and-slope baseline (said on the card as null), rather than one set by test fires.
        guard let rate else { return }
        let push = WindSpreadBaseline.push(towardSin: named["wind_dir_sin"], towardCos: named["wind_dir_cos"],
                                           upslopeSin: upslope?.sin, upslopeCos: upslope?.cos, slopeDegrees: named["slope_deg"])
        let grown = WindSpreadBaseline.predict(today: today, width: window.width, height: window.height, cellSize: resolution,
                                               reach: rate * gapDays, push: push)
        summary.windSlopeSpread.add(today: today, tomorrow: tomorrow, predicted: grown)
    }

    private func writeItem(name: String, window: Window, grid: FireGrid, metadata: [String: String], toWGS84: Reprojector, folder: URL) throws {
        let footprint = try Footprint(window: window, transform: grid.transform, toWGS84: toWGS84, segmentsPerEdge: 4)
        let item: JSONValue = .object([
            "type": .string("Feature"), "stac_version": .string("1.0.0"), "id": .string(name),
            "geometry": GeoJSONGeometry(footprint).json, "bbox": .array(footprint.bbox.map(JSONValue.number)),
            "properties": .object([
                "datetime": .string(metadata["time"] ?? ""), "swath:target_datetime": .string(metadata["target_time"] ?? ""),
                "swath:fire": .number(Double(metadata["fire"] ?? "") ?? 0), "swath:gap_days": .number(Double(metadata["gap_days"] ?? "") ?? 0),
            ]),
            "assets": .object(["data": .object([
                "href": .string("./\(name).tif"), "type": .string("image/tiff; application=geotiff; profile=cloud-optimized"),
                "roles": .array([.string("data")]),
            ])]),
            "links": .array([]),
        ])
        try Data(item.serialized).write(to: folder.appendingPathComponent("\(name).json"))
    }

    /// Every variable the samples hold, in their bands' order, with what it is and its units.
    func featuresDocument(inputs names: [String]) -> JSONValue {
        let units = Dictionary(weather.map { ($0.source.role, $0.units) }, uniquingKeysWith: { first, _ in first })
        let windUnits = weather.first { $0.source.role.hasPrefix("wind") }?.units ?? ""
        let timing = options.weatherTime == .before ? "the last step at or before it" : "interpolated between the steps around it"
        let described: [String: (String, String)] = [
            SpreadBand.fireMask: ("burned at the observation (1) or not (0): the perimeter rasterized by GDAL, cell centres inside", "mask"),
            "wind_speed": ("|wind|", windUnits),
            "wind_dir_sin": ("sin of the azimuth the wind blows toward (clockwise from north)", "ratio"),
            "wind_dir_cos": ("cos of that azimuth", "ratio"),
            "spread_dir_sin": ("sin of the azimuth the front spreads into: away from today's perimeter, the gradient of the signed distance to it (GDAL proximity); NaN where flat", "ratio"),
            "spread_dir_cos": ("cos of that azimuth", "ratio"),
            "wind_spread_alignment": ("cosine between where the wind pushes and the spread direction: 1 the wind drives the front, −1 it holds it back", "ratio"),
            "ndvi": ("(NIR − Red) / (NIR + Red) of the scene(s) labeled at the observation, in reflectance (DN × scale + offset); bands warped by GDAL (average onto coarser cells, else bilinear); NaN past the scenes", "ratio"),
            "nbr": ("(NIR − SWIR2) / (NIR + SWIR2) of the scene(s) labeled at the observation, as ndvi", "ratio"),
            "fuel_class": ("the land-cover label's taxonomy class (WorldCover codes in the standard taxonomy), 0 unlabelled: rasterized by GDAL at the scenes' cell size, the most common class per cell (GDAL warp, mode) on coarser grids", "class"),
            "elevation": ("the DEM on the fire's grid (GDAL warp: average onto coarser cells, else bilinear)", "m"),
            "slope_deg": ("slope by GDAL's gdaldem (Horn)", "degree"),
            "wind_upslope_alignment": ("cosine between where the wind pushes and uphill (gdaldem aspect + 180°)", "ratio"),
        ]
        var features: [JSONValue] = names.map { name in
            if let layer = weather.first(where: { $0.source.role == name }) {
                let file = URL(fileURLWithPath: layer.source.path).lastPathComponent
                return Self.feature(name, "weather '\(layer.source.variable ?? "")' of \(file) at the observation time (\(timing)), warped bilinear by GDAL, in the source's units", units[name] ?? "")
            }
            let (meaning, unit) = described[name] ?? ("", "")
            return Self.feature(name, meaning, unit)
        }
        features.append(Self.feature(SpreadBand.targetFireMask, "burned at the next observation: the target", "mask"))
        features.append(Self.feature(SpreadBand.targetBurnedNew, "burned at the next observation and not at this one", "mask"))
        return .object(["features": .array(features), "noData": .string("NaN"),
                        "cube": .string("cubes/fire<N>.\(options.cubeFormat.fileExtension): features(time, variable, y, x) holds the inputs above at every observation")])
    }

    private func cardDocument(_ summaries: [String: SplitSummary], fires: Int, rate: Double?) -> JSONValue {
        .object([
            "fires": .number(Double(fires)), "window": .number(Double(options.window)), "stride": .number(Double(options.stride)),
            "resolution": .number(resolution),
            "spreadRateMetresPerDay": rate.map(JSONValue.number) ?? .null, "cubeFormat": .string(options.cubeFormat.rawValue),
            "splits": .object(Dictionary(uniqueKeysWithValues: SpreadSplit.names.map { ($0, (summaries[$0] ?? SplitSummary()).json) })),
        ])
    }

    /// How fast the fires' equivalent radius (√(area / π)) grew: all the growth over all the days of their
    /// pairs (so two observations minutes apart cannot dominate); nil without a pair.
    static func meanRadialRate(_ tracks: [FireTrack]) -> Double? {
        var growth = 0.0, days = 0.0
        for pair in tracks.flatMap(\.pairs) {
            growth += (pair.tomorrow.perimeter.area / .pi).squareRoot() - (pair.today.perimeter.area / .pi).squareRoot()
            days += pair.tomorrow.time.timeIntervalSince(pair.today.time) / 86_400
        }
        return days > 0 ? growth / days : nil
    }

    static func feature(_ name: String, _ meaning: String, _ units: String) -> JSONValue {
        .object(["name": .string(name), "description": .string(meaning), "units": .string(units)])
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}
