import Foundation
import SwathGeo

/// Builds a wildfire-spread dataset from a project's dated burns: per fire and
/// per pair of consecutive observations, windows along today's front holding
/// today's inputs and tomorrow's targets (`SpreadSampleBands`), each a COG with
/// a STAC item, in its fire's split; one CF NetCDF cube per fire (`FireCube`); then `features.json` and the dataset card
/// (`card.json`) with each split's fires, samples, burned shares and the
/// baselines' skill. Everything is written into a staging folder renamed to
/// `out` at the end: an interrupted run leaves no dataset under the final name.
public struct SpreadDatasetBuilder {
    public let crsWKT: String
    public let resolution: Double
    public let weather: [WeatherLayer]
    public let options: SpreadDatasetOptions

    public init(crsWKT: String, resolution: Double, weather: [WeatherLayer], options: SpreadDatasetOptions) {
        (self.crsWKT, self.resolution, self.weather, self.options) = (crsWKT, resolution, weather, options)
    }

    public func build(burns: [DatedBurn], into out: URL) throws -> JSONValue {
        try options.validate()
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
            for track in tracks where !track.pairs.isEmpty {
                let split = splits[track.id] ?? "train"
                let grid = try FireGrid(footprint: track.footprint, crsWKT: crsWKT, resolution: resolution, marginCells: options.window / 2 + 1)
                for layer in weather { try layer.checkCovers(crsWKT: crsWKT, transform: grid.transform, size: grid.size) }
                let terrain = try options.dem.map { try FireTerrain(dem: $0, grid: grid) }
                let folder = staging.appendingPathComponent("samples/\(split)")
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
                let cubes = staging.appendingPathComponent("cubes")
                try manager.createDirectory(at: cubes, withIntermediateDirectories: true)
                try FireCube.write(track: track, grid: grid, weather: weather, mode: options.weatherTime,
                                   to: cubes.appendingPathComponent("fire\(track.id).nc"))
                for (index, pair) in track.pairs.enumerated() {
                    try writePair(pair, index: index, track: track, grid: grid, terrain: terrain, folder: folder, rate: rate, toWGS84: toWGS84,
                                  summary: &summaries[split, default: SplitSummary()])
                    summaries[split, default: SplitSummary()].fires.insert(track.id)
                }
            }
            try Data(featuresDocument().serialized).write(to: staging.appendingPathComponent("features.json"))
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

    private func writePair(_ pair: (today: FireTrack.Observation, tomorrow: FireTrack.Observation), index: Int, track: FireTrack,
                           grid: FireGrid, terrain: FireTerrain?, folder: URL, rate: Double?, toWGS84: Reprojector, summary: inout SplitSummary) throws {
        let today = try grid.mask(pair.today.perimeter), tomorrow = try grid.mask(pair.tomorrow.perimeter)
        let gapDays = pair.tomorrow.time.timeIntervalSince(pair.today.time) / 86_400
        let windows = balanced(grid.frontWindows(today, window: options.window, stride: options.stride), grid: grid, today: today, tomorrow: tomorrow)
        let bandsMaker = SpreadSampleBands(weather: weather, mode: options.weatherTime)
        for (number, window) in windows.enumerated() {
            let bands = try bandsMaker.bands(grid: grid, window: window, today: today, tomorrow: tomorrow, at: pair.today.time, terrain: terrain)
            let name = "fire\(track.id)-pair\(index + 1)-w\(number + 1)"
            let metadata = ["fire": "\(track.id)", "time": Self.iso(pair.today.time), "target_time": Self.iso(pair.tomorrow.time),
                            "gap_days": String(format: "%.4f", gapDays)]
            try SpreadSampleWriter.write(bands, grid: grid, window: window, metadata: metadata, to: folder.appendingPathComponent("\(name).tif"))
            try writeItem(name: name, window: window, grid: grid, metadata: metadata, toWGS84: toWGS84, folder: folder)
            score(bands, window: window, gapDays: gapDays, rate: rate, summary: &summary)
        }
    }

    /// Every window with newly burned ground, and windows without any up to `emptyShare` of those kept.
    private func balanced(_ windows: [Window], grid: FireGrid, today: [Bool], tomorrow: [Bool]) -> [Window] {
        let hasNew = { (w: Window) in
            (w.row..<w.row + w.height).contains { row in (w.col..<w.col + w.width).contains { col in
                let index = row * grid.size.width + col
                return tomorrow[index] && !today[index]
            } }
        }
        let burning = windows.filter(hasNew), quiet = windows.filter { !hasNew($0) }
        let share = options.emptyShare
        let allowed = share >= 1 ? Double(quiet.count) : min(Double(quiet.count), (Double(burning.count) * share / (1 - share)).rounded(.down))
        return burning + quiet.prefix(Int(allowed))
    }

    private func score(_ bands: [SpreadBand], window: Window, gapDays: Double, rate: Double?, summary: inout SplitSummary) {
        let named = Dictionary(bands.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        guard let todayValues = named[SpreadBand.fireMask], let tomorrowValues = named[SpreadBand.targetFireMask] else { return }
        let today = todayValues.map { $0 == 1 }, tomorrow = tomorrowValues.map { $0 == 1 }
        summary.samples += 1
        summary.cells += today.count
        summary.burnedCells += tomorrow.filter { $0 }.count
        summary.newBurnedCells += zip(today, tomorrow).filter { !$0 && $1 }.count
        summary.persistence.add(today: today, tomorrow: tomorrow, predicted: today)
        // The window's mean push of the wind, where there is wind.
        let mean = { (values: [Float]?) -> Float? in
            guard let finite = values?.filter(\.isFinite), !finite.isEmpty else { return nil }
            return finite.reduce(0, +) / Float(finite.count)
        }
        // No training fire with a pair: no rate, so no wind-driven baseline (said on the card as null), rather than one set by test fires.
        guard let rate else { return }
        let grown = WindSpreadBaseline.predict(today: today, width: window.width, height: window.height, cellSize: resolution,
                                               reach: rate * gapDays, towardSin: mean(named["wind_dir_sin"]), towardCos: mean(named["wind_dir_cos"]))
        summary.windSpread.add(today: today, tomorrow: tomorrow, predicted: grown)
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

    /// Every variable a sample may hold, with what it is and its units.
    func featuresDocument() -> JSONValue {
        var features: [JSONValue] = [Self.feature(SpreadBand.fireMask, "burned at the observation (1) or not (0): the perimeter rasterized by GDAL, cell centres inside", "mask")]
        for layer in weather {
            features.append(Self.feature(layer.source.role, "weather '\(layer.source.variable ?? "")' of \(layer.source.path) at the observation time (\(options.weatherTime == .before ? "the last step before it" : "interpolated between the steps around it")), warped bilinear by GDAL", layer.units))
        }
        let roles = Set(weather.map(\.source.role))
        if roles.isSuperset(of: ["wind_u", "wind_v"]) || roles.isSuperset(of: ["wind_speed", "wind_from_direction"]) {
            features.append(Self.feature("wind_speed", "|wind|", weather.first { $0.source.role.hasPrefix("wind") }?.units ?? ""))
            features.append(Self.feature("wind_dir_sin", "sin of the azimuth the wind blows toward (clockwise from north)", "ratio"))
            features.append(Self.feature("wind_dir_cos", "cos of that azimuth", "ratio"))
        }
        if options.dem != nil {
            features.append(Self.feature("elevation", "the DEM on the fire's grid (GDAL warp: average onto coarser cells, else bilinear)", "m"))
            features.append(Self.feature("slope_deg", "slope by GDAL's gdaldem (Horn)", "degree"))
            if features.contains(where: { if case .object(let o) = $0 { return o["name"] == .string("wind_speed") } else { return false } }) {
                features.append(Self.feature("wind_upslope_alignment", "cosine between where the wind pushes and uphill (gdaldem aspect + 180°)", "ratio"))
            }
        }
        features.append(Self.feature(SpreadBand.targetFireMask, "burned at the next observation: the target", "mask"))
        features.append(Self.feature(SpreadBand.targetBurnedNew, "burned at the next observation and not at this one", "mask"))
        return .object(["features": .array(features), "noData": .string("NaN")])
    }

    private func cardDocument(_ summaries: [String: SplitSummary], fires: Int, rate: Double?) -> JSONValue {
        .object([
            "fires": .number(Double(fires)), "window": .number(Double(options.window)), "stride": .number(Double(options.stride)),
            "resolution": .number(resolution),
            "windSpreadRate": rate.map(JSONValue.number) ?? .null,
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
